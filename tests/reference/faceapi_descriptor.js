// Prints face-api's own 128-D descriptor (its FaceRecognitionNet on tfjs' CPU backend) for each
// 150x150 RGB chip given as a raw file (150*150*3 bytes), one JSON array per line. The independent
// reference for the converted dlib model. Usage: node faceapi_descriptor.js CHIP.rgb...
'use strict';
const fs = require('fs');
const path = require('path');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

async function main() {
  const tf = faceapi.tf;
  await tf.setBackend('cpu');
  await tf.ready();
  const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, 'face_recognition_model-weights_manifest.json')));
  const bytes = fs.readFileSync(path.join(modelDir, manifest[0].paths[0]));
  const weights = tf.io.decodeWeights(new Uint8Array(bytes).buffer, manifest[0].weights);
  faceapi.nets.faceRecognitionNet.loadFromWeightMap(weights);
  for (const file of process.argv.slice(2)) {
    const raw = fs.readFileSync(file);
    if (raw.length !== 150 * 150 * 3) throw new Error(`${file}: expected ${150 * 150 * 3} bytes, got ${raw.length}`);
    const input = tf.tensor3d(new Uint8Array(raw), [150, 150, 3], 'int32');
    const descriptor = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(input);
    console.log(JSON.stringify(Array.from(descriptor)));
    input.dispose();
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
