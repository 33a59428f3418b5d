// Reads LMS topics as a registry-based consumer does, with clients that are not LMS's: kafkajs
// consumes (read_committed), @kafkajs/confluent-schema-registry decodes each value by the schema id
// in its Confluent framing, asking the registry for the schema. Exits 1 when a record does not
// decode, or when a topic holds fewer records than expected within the timeout.
//
//   node check.mjs --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081/apis/ccompat/v7 \
//     [--topics lms.lead-events,lms.leads] [--min 1] [--timeout-ms 60000]
import kafkajs from 'kafkajs';
import schemaRegistry from '@kafkajs/confluent-schema-registry';
import lz4 from 'lz4js';

const { Kafka, logLevel, CompressionTypes, CompressionCodecs } = kafkajs;
const { SchemaRegistry } = schemaRegistry;

// LMS compresses with lz4 by default, and kafkajs implements only gzip itself: it takes other codecs
// as plugins. lz4js (pure JavaScript) reads the LZ4 frames Kafka's Java producer writes.
CompressionCodecs[CompressionTypes.LZ4] = () => ({
  compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
  decompress: async (buffer) => Buffer.from(lz4.decompress(buffer)),
});

function options(argv) {
  const opts = { topics: 'lms.lead-events,lms.leads', min: '1', 'timeout-ms': '60000' };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`expected --name value pairs, got ${argv[i]}`);
    }
    opts[argv[i].slice(2)] = argv[i + 1];
  }
  for (const required of ['bootstrap', 'registry']) {
    if (!opts[required]) throw new Error(`--${required} is required`);
  }
  return opts;
}

let opts;
try {
  opts = options(process.argv.slice(2));
} catch (e) {
  console.error(`usage: ${e.message}`);
  process.exit(2);
}
const topics = opts.topics.split(',');
const min = Number(opts.min);
// How long a topic must stay quiet, once it has enough records, before the check ends.
const QUIET_MS = 3000;

const registry = new SchemaRegistry({ host: opts.registry });
const kafka = new Kafka({ clientId: 'lms-registry-client-check', brokers: opts.bootstrap.split(','), logLevel: logLevel.ERROR });
const consumer = kafka.consumer({ groupId: `lms-registry-client-check-${process.pid}-${Date.now()}` });
const decoded = Object.fromEntries(topics.map((t) => [t, 0]));
let failure = null;
let lastRecordAt = Date.now();

consumer.on(consumer.events.CRASH, ({ payload }) => {
  failure = `the consumer crashed: ${payload.error.message}`;
});
await consumer.connect();
await consumer.subscribe({ topics, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ topic, partition, message }) => {
    lastRecordAt = Date.now();
    const value = message.value;
    const where = `${topic}[${partition}]@${message.offset}`;
    try {
      if (value === null) {
        throw new Error('null value');
      }
      const record = await registry.decode(value);
      decoded[topic] += 1;
      const summary = { key: message.key?.toString(), schemaId: value.readInt32BE(1) };
      for (const field of ['eventId', 'orgId', 'id', 'status', 'leadFor']) {
        if (record[field] !== undefined) summary[field] = record[field];
      }
      console.log(`${where} ${JSON.stringify(summary)}`);
    } catch (e) {
      const head = value ? value.subarray(0, 8).toString('hex') : 'null';
      failure = `${where} does not decode (first bytes ${head}): ${e.message}`;
    }
  },
});

const deadline = Date.now() + Number(opts['timeout-ms']);
const enough = () => topics.every((t) => decoded[t] >= min);
while (!failure && Date.now() < deadline && !(enough() && Date.now() - lastRecordAt > QUIET_MS)) {
  await new Promise((resolve) => setTimeout(resolve, 200));
}
await consumer.disconnect();

if (failure) {
  console.error(`FAILED: ${failure}`);
  process.exit(1);
}
if (!enough()) {
  console.error(`FAILED: fewer than ${min} decoded records within ${opts['timeout-ms']} ms: ${JSON.stringify(decoded)}`);
  process.exit(1);
}
console.log(`decoded through ${opts.registry}: ${JSON.stringify(decoded)}`);
