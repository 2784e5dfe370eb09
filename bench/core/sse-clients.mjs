import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

// Plain JavaScript: a worker thread does not inherit the tsx loader on Node 20.
/** Holds many live-stream connections in a thread of its own, and measures change-to-delivery latency. */
const { url, tokens, clients, expect } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const latencies = [];
let opened = 0;
let finished = 0;

function connect(i) {
  return new Promise((resolve, reject) => {
    let received = 0;
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } }, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      let ready = false;
      res.on('data', (chunk) => {
        const now = performance.timeOrigin + performance.now();
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (frame.startsWith('retry:') && !ready) {
            ready = true;
            resolve();
            continue;
          }
          const match = /"title":"t=([\d.]+)"/.exec(frame);
          if (match && frame.includes('alert.created')) {
            latencies.push(now - Number(match[1]));
            if (++received === expect) {
              res.destroy();
              if (++finished === clients) parentPort.postMessage({ latencies });
            }
          }
        }
      });
    });
    req.on('error', reject);
  });
}

for (let i = 0; i < clients; i += 50) {
  await Promise.all(Array.from({ length: Math.min(50, clients - i) }, (_, k) => connect(i + k).then(() => opened++)));
}
parentPort.postMessage({ connected: opened });
