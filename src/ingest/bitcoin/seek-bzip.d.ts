/** Types for the parts of `seek-bzip` (pure-JS bzip2 decoder, no bundled types) that the bitcoin adapter uses. */
declare module 'seek-bzip' {
  interface Bunzip {
    /** Decodes a whole bzip2 stream (every block CRC and the stream CRC checked); throws on corrupt data. */
    decode(input: Uint8Array, output?: number | Uint8Array, multistream?: boolean): Buffer;
  }
  const bunzip: Bunzip;
  export default bunzip;
}
