import { getDelivery, listDeliveries, redeliver } from "../../modules/webhooks/deliveries.ts";
import { deliveryInputs } from "../../modules/webhooks/delivery-inputs.ts";
import { instanceDeliveryDeps } from "../../modules/webhooks/worker.ts";
import { orgProcedure, router } from "../init.ts";

/** Delivery history of an endpoint and manual redelivery (OWNER/ADMIN, per the policy). */
export const webhookDeliveriesRouter = router({
  list: orgProcedure
    .input(deliveryInputs.list)
    .query(({ ctx, input }) => listDeliveries(ctx.member, input)),
  get: orgProcedure
    .input(deliveryInputs.one)
    .query(({ ctx, input }) => getDelivery(ctx.member, input)),
  redeliver: orgProcedure
    .input(deliveryInputs.one)
    .mutation(({ ctx, input }) => redeliver(instanceDeliveryDeps(ctx.deps), ctx.member, input)),
});
