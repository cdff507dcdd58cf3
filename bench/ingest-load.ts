// The load side of bench/ingest, run as a second process: posts distinct signed
// payment_intent.succeeded events to one URL for a bounded time and prints JSON results.
import autocannon from 'autocannon';
import { fixture, makeEvent, sign } from '../test/helpers/fixtures';

const [url, secret, seconds = '10', connections = '16'] = process.argv.slice(2);
if (!url || !secret || !url.startsWith('http://127.0.0.1:')) {
  console.error('usage: ingest-load <http://127.0.0.1:PORT/path> <whsec_…> [seconds] [connections]');
  process.exit(2);
}

// What generating and signing the load costs this process: part of the machine's CPU budget.
const cpuAtStart = process.cpuUsage();
const base = fixture('payment_intent', { status: 'succeeded', amount_received: 1099, metadata: { client_id: 'bench', session_id: 'sess_bench' } });
let n = 0;

const instance = autocannon(
  {
    url,
    connections: Number(connections),
    duration: Number(seconds),
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          n += 1;
          const event = makeEvent('payment_intent.succeeded', { ...base, id: `pi_bench_${process.pid}_${n}` }, { id: `evt_bench_${process.pid}_${n}` });
          const body = JSON.stringify(event);
          return { ...request, body, headers: { 'content-type': 'application/json', 'stripe-signature': sign(body, secret) } };
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      console.error(error.message);
      process.exit(1);
    }
    const ok = result['2xx'];
    const cpu = process.cpuUsage(cpuAtStart);
    console.log(
      JSON.stringify({
        requests: result.requests.total,
        ok,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        seconds: result.duration,
        throughput: ok / result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        loaderCpuPerRequest: (cpu.user + cpu.system) / Math.max(1, result.requests.total),
      }),
    );
  },
);
process.once('SIGINT', () => instance.stop());
