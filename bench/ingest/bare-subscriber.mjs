// The ceiling: a bare MQTT subscriber (mqtt.js, QoS 1, acknowledging at once) counting what Mosquitto delivers.
import mqtt from 'mqtt';

const [url, topic, perMessage] = process.argv.slice(2);
const client = mqtt.connect(url, { clientId: `bench-bare-${process.pid}`, clean: true, reconnectPeriod: 0 });
let readings = 0;
client.on('connect', () => client.subscribe(topic, { qos: 1 }, () => process.send?.({ ready: true })));
client.on('message', () => {
  readings += Number(perMessage);
});
setInterval(() => process.send?.({ readings, at: Date.now() }), 100);
process.on('message', (m) => {
  if (m === 'stop') client.end(true, {}, () => process.exit(0));
});
