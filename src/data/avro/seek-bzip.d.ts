/** The part of seek-bzip 2 (lib/index.js) that ./codecs.ts uses; the package ships no types. */
declare module 'seek-bzip' {
  interface ByteInput {
    readByte(): number;
    read(buffer: Uint8Array, offset: number, length: number): number;
    seek(pos: number): void;
    eof(): boolean;
  }
  interface ByteOutput {
    writeByte(byte: number): void;
    getBuffer(): Buffer;
  }
  const Bunzip: {
    /** Decodes a whole bzip2 stream (every stream, with `multistream`); checks the block and stream CRCs. */
    decode(input: Buffer | ByteInput, output?: number | Buffer | ByteOutput, multistream?: boolean): Buffer | undefined;
  };
  export default Bunzip;
}
