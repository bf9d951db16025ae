import { decideReview } from "../../modules/reviews/decisions.ts";
import { reviewInputs } from "../../modules/reviews/inputs.ts";
import { createReviewLink, linkInputs, revokeReviewLink } from "../../modules/reviews/links.ts";
import { getReview, listReviews, requestReview } from "../../modules/reviews/service.ts";
import { orgProcedure, router } from "../init.ts";

export const reviewsRouter = router({
  list: orgProcedure
    .input(reviewInputs.list)
    .query(({ ctx, input }) => listReviews(ctx.member, input)),
  get: orgProcedure.input(reviewInputs.id).query(({ ctx, input }) => getReview(ctx.member, input)),
  request: orgProcedure
    .input(reviewInputs.create)
    .mutation(({ ctx, input }) =>
      requestReview(
        { maxSeconds: ctx.deps.config.reviewMaxSeconds, queue: ctx.deps.queue },
        ctx.member,
        input,
      ),
    ),
  decide: orgProcedure
    .input(reviewInputs.decide)
    .mutation(({ ctx, input }) => decideReview(ctx.deps.engine, ctx.member, input)),
  createLink: orgProcedure
    .input(linkInputs.create)
    .mutation(({ ctx, input }) => createReviewLink(ctx.member, ctx.deps.config.baseUrl, input)),
  revokeLink: orgProcedure
    .input(linkInputs.revoke)
    .mutation(({ ctx, input }) => revokeReviewLink(ctx.member, input)),
});
