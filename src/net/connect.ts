/**
 * Opening the socket to a vetted address. Tests inject their own `Connect` that refuses any
 * non-loopback address, so a bug in the guard cannot put a packet on the wire.
 */
import net from "node:net";
import tls from "node:tls";
import type { Family } from "./address-policy.ts";
import { OutboundError, OutboundTimeoutError } from "./errors.ts";
import type { VettedHost } from "./vet.ts";

export interface ConnectTarget {
  /** A vetted IP literal: the socket goes here and nowhere else (no DNS lookup). */
  address: string;
  family: Family;
  port: number;
  tls: boolean;
  /** TLS server name (SNI and certificate check); absent when the host is an IP literal. */
  servername?: string;
  /** Extra trusted CA certificates (PEM), e.g. an internal CA or a test certificate. */
  ca?: string | Buffer | Array<string | Buffer>;
}

export type Connect = (target: ConnectTarget) => net.Socket;

export const defaultConnect: Connect = (target) => {
  if (target.tls) {
    return tls.connect({
      host: target.address,
      port: target.port,
      servername: target.servername,
      ca: target.ca,
      ALPNProtocols: ["http/1.1"],
    });
  }
  return net.connect({ host: target.address, port: target.port, family: target.family });
};

// Errors after which trying the host's next vetted address makes sense.
const RETRYABLE = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

function waitConnected(socket: net.Socket, secure: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const ready = secure ? "secureConnect" : "connect";
    const onError = (err: Error) => {
      socket.off(ready, onReady);
      reject(err);
    };
    const onReady = () => {
      socket.off("error", onError);
      resolve();
    };
    socket.once(ready, onReady);
    socket.once("error", onError);
  });
}

/**
 * Connects to the vetted addresses in order until one answers, within the deadline.
 * Resolves to an established (and, for TLS, handshaken) socket.
 */
export async function openSocket(
  connect: Connect,
  host: VettedHost,
  options: { tls: boolean; ca?: ConnectTarget["ca"]; deadline: number; timeoutMs: number },
): Promise<net.Socket> {
  const servername = net.isIP(host.hostname) === 0 ? host.hostname : undefined;
  let lastError: unknown;
  for (const { address, family } of host.addresses) {
    const target: ConnectTarget = { address, family, port: host.port, tls: options.tls };
    if (servername) target.servername = servername;
    if (options.ca) target.ca = options.ca;
    const socket = connect(target);
    const remaining = Math.max(0, options.deadline - Date.now());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new OutboundTimeoutError(`${host.hostname}:${host.port}`, options.timeoutMs)),
        remaining,
      );
    });
    try {
      await Promise.race([waitConnected(socket, options.tls), timeout]);
      return socket;
    } catch (err) {
      socket.destroy();
      if (err instanceof OutboundTimeoutError) throw err;
      lastError = err;
      const code = (err as NodeJS.ErrnoException).code;
      if (!code || !RETRYABLE.has(code)) break;
    } finally {
      clearTimeout(timer);
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new OutboundError(
    "connect",
    `Could not connect to ${host.hostname}:${host.port}: ${reason}`,
    {
      cause: lastError,
    },
  );
}
