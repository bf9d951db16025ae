/** Bounds of reviews and their public links, as plain data: the web bundle imports them too. */
export const MAX_REVIEW_SECONDS = 30 * 24 * 60 * 60;
export const MIN_LINK_SECONDS = 60;
export const MAX_LINK_USES = 100;
