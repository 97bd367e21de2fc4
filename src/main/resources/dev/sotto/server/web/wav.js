// 16-bit mono PCM chunks as a WAV file (RIFF header + samples), for "Save audio".

export function wav(chunks, sampleRate) {
  const samples = chunks.reduce((n, c) => n + c.length, 0);
  const bytes = new ArrayBuffer(44 + samples * 2);
  const v = new DataView(bytes);
  const text = (offset, s) => [...s].forEach((ch, i) => v.setUint8(offset + i, ch.charCodeAt(0)));
  text(0, "RIFF");
  v.setUint32(4, 36 + samples * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  v.setUint32(16, 16, true);          // PCM header size
  v.setUint16(20, 1, true);           // PCM
  v.setUint16(22, 1, true);           // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  text(36, "data");
  v.setUint32(40, samples * 2, true);
  let offset = 44;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++, offset += 2) v.setInt16(offset, c[i], true);
  }
  return new Blob([bytes], { type: "audio/wav" });
}
