/**
 * The keys a waiting step is resumed by. A review node waits on its review's key, and only the
 * review ends that wait — its decision or its expiry — never a signal: a signal sender who may
 * run the workflow need not be someone who may decide the review. Wait-for-event nodes may
 * not take a key in this namespace.
 */
const REVIEW_WAIT_PREFIX = "review:";

export const reviewWaitKey = (reviewId: string) => `${REVIEW_WAIT_PREFIX}${reviewId}`;

export const isReviewWaitKey = (key: string) => key.startsWith(REVIEW_WAIT_PREFIX);

/** The review a wait key belongs to, if it is a review's. */
export const reviewIdOfWaitKey = (key: string | null) =>
  key && isReviewWaitKey(key) ? key.slice(REVIEW_WAIT_PREFIX.length) : undefined;
