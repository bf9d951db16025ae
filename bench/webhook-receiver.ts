/**
 * The receiver of `bench/webhooks.ts`, in its own process so it does not share the event loop
 * of the instance under test. Answers every delivery 204, verifies one in 50 with the
 * independent `standardwebhooks` package, and reports `{ id, at }` to the parent in batches.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

const secret = process.env.BENCH_WEBHOOK_SECRET;
if (!secret || !process.send) throw new Error("run through bench/webhooks.ts");
const verifier = new Webhook(secret);
let pending: { id: string; at: number }[] = [];
let count = 0;
let badSignatures = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const id = String(req.headers["webhook-id"]);
    pending.push({ id, at: Date.now() });
    if (count++ % 50 === 0) {
      try {
        verifier.verify(
          Buffer.concat(chunks).toString("utf8"),
          req.headers as Record<string, string>,
        );
      } catch {
        badSignatures++;
      }
    }
    res.statusCode = 204;
    res.end();
  });
});

setInterval(() => {
  if (pending.length === 0) return;
  process.send?.({ type: "received", deliveries: pending, badSignatures });
  pending = [];
}, 20);

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: "ready", url: `http://127.0.0.1:${port}/hooks` });
});
process.on("message", () => process.exit(0));
