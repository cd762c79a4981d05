/**
 * One Avro block compressed by the reference command-line tools, kept as bytes (made once with
 * `zstd -19` 1.5.4, `bzip2 -9` 1.0.8 and `xz --check=crc64` 5.4.1 on this machine): independent
 * encoders for the codec tests. The block is the binary encoding of CODEC_BLOCK_ROWS, 200 records of
 * { id: long, name: string } written by hand (zig-zag varints and length-prefixed UTF-8), 4,229 bytes.
 * The zstd frame carries its XXH64 content checksum (`zstd -lv`: Check XXH64 2100687e).
 */
import type { AvroRecord, AvroSchema } from '../../../src/data/avro/types.js';

export const CODEC_BLOCK_SCHEMA: AvroSchema = {
  type: 'record',
  name: 'Row',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
  ],
};

export const CODEC_BLOCK_ROWS: AvroRecord[] = Array.from({ length: 200 }, (_, i) => ({ id: BigInt(i + 1), name: `row ${i + 1} ünïcödé` }));

export const ZSTANDARD_BLOCK = Buffer.from(
  'KLUv/WSFDz0SAJYeazTwnnTEQCOoGGgEFaNgoBFWDKTAIkQgSYIkCJqTRUSsNIKKgUbwnFJKW0oZQSMC16BioDUQYQBYAF4AcnR5Fl9pFU4ZUeoJNZklSyLryIt4SIPwx+hROyjH3FgNSTMew72Z6zirpBfTYivkpPgJl+gI5o0Q9YE6zIZlkCux8Aqe0Ah8MBrUAkowB5aKLlPFlqfijFWRt7wcGpuIgONf1beiXzWfan9KvtR7lDtUuxN70+hM1ZWoJ01HWj+SbvRd5E3UPcQtNHZQbSDaP7N9tomyh89C52AzkPk3sq8C9GjP5NkdyTqP4zdtwzXjTJWhMRNmXwJKncRI41E1okWTaIdkXaEPcqD+YZ+RWIdUOIMLlHR/7/MZ0Os7thvrKh2dm3IbJ+fC/Zu7dRuzjWtVjaZNtD2Tu2Zf5mQ9xmJjWAWjX9Nru5bkTgBw/W/5a/Vn8WMFUk6fJ/qwhRwcgfVHffNXoLd38tfu65yu51hujKtw9G26bZv0Zfs1V+s0RhvPqhktm2Q7JnvFPszB+ou9xq7KRbem1mZJXqy/cquuYqpxqkrRqAm1TnLcpmfygY6oEXDz+m/xS2sRIAxQ4AV/m0lNGhlKVx8tZVkH8thSlnUgjzZlWQfyaKmWdSCPlrJZB/JoKct2IC8gJE1qzDxayrIO5KOlLAu8qXJrLmlSNarGqlE1qkbVqBqVRtWoGlWjalSNVqNqVI2qwYy7Og1a7Tb7xDa8dqtruNVusy+2xWu3uoat7jYr/YltCVSVqlq1VMtWtQp+aAAh',
  'base64',
);

export const BZIP2_BLOCK = Buffer.from(
  'QlpoOTFBWSZTWXxJWjEAACB//71VVVVVVX/1VVVVVV1V1dVVVVVVVXXVVV1VVVVVVVVVQALaYbcAARKjQAAAAAAAAA0/fqqgeoAAAAAAAABiYxEEgP/1Kf/qqqZA0yYQAZDIaDQDIAAwmgNGgAAxA0AyMgMggwmmE00wmCaaGTATACYTTTRgjAAAAAAABMAjRgGaqG1Up/7KqQwjTIyZMjIaaMBDaAjAmg0GjIyGRhBkBk0YjAmB8/TVs3cOXTt49fP4EGFDiRY0eTKlzZ0+hRpU6lWtYs2rdy7ev4MOLH95MuZ07efj18/ZabgQf3+ggAAAAAAAAAAAAAAAAAAAAC1rWta1rFKUyiIpEVg9ntdvud3vd/weEAAAAAAAACZxTPKlChQoUKFAqVKUiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIEN3Lp28evn8ANBhQ4kWNHkSZUuZNnEe8r2FZ9CjSp1KtavYs2rdy7ev4MOL3+fr7dO3j18/ZabgQWkRSJcwiIpQiIiI2pEcIlaxXMV+JYOGMvYtvovF4vE4ZJr2jCqqvGym0xaKi8XnEbQNoG0DaBtA2gbQNoG0DaMJmbzle14tExeL1WQgAAAAADGqqaym0xaKi8XnEAAAAAAMJmbzle14tExeL1WQAAAAAAY1VTWU2mLRUXi84gAAAAABhMzecr2vFomLxeqyAAAAAADGqrGatMTmWiovE4AAAAAABMzON5teL5lomLxVYgAAAAABVVWM1aYnMtFReJwQAAAAAU014Ek0mdJJNJjX8pJpPRJJpPBZubmpoE0CaBNAmgTQJoE0CaBNYYYDSwE0CaBNAmgTQJoE1ivAkmkxtp+FJNJiYkmkxJCSaTExJNJifopJpPTpJpPwpJpPx0k0nkk2/ELuSKcKEg+JK0YgA==',
  'base64',
);

export const XZ_BLOCK = Buffer.from(
  '/Td6WFoAAATm1rRGAgAhARYAAAB0L+Wj4BCEAeldAAEJVKGZ1USBQaS1izFYtxzVcYfT7tgVjEK55MZBvhx2obp4SMSqfSsA6Izwh1EfupBuA/ALJ8ORyVXFmEzfLo9dZ1jwav21wX9SjQO1ypkQ//A6IgnrgFsx4/hvauupTCepiD9LnRHAw33+yS25s8NAYF5DvA/JxnYqVkzF9Pt3toCdHSJEU6L0YCfnN+WsIjgwl0sRhrmXwF+gz478xQzbFU8Pn+6icq1WMNrv6ZW0eGnH/AuWtbH5PZvPlWtpszxioNWoq/SL+84CPTjsz/Rnhnm/wqhuUIAsfNCF8xRjh+uKW9Mnk3bKWGzjiIHPnjg8Hjjt+NAPzqA/oo1KnU2pJ/SkvLPrHmVE7Mic6SUI7cbvgz++rhJga6n1zqocNMffOvly8bnnGsf9n75Vxau9pECqH91YBv32JbKK30pXSXvW9wc7wTNLTncuxNRhHTTaQIUMjZ2nDiLsmdWPmt/jnfUKvns529l7RqrlUHNQUMbmQQfw3lJ824nkRhNUtV+y/r2xNuIdwPiOT5aN/KPjqOzgAye1/c1kmw1qALfgp7ss3Ih91/eJfV0s1rCctuLYa4+unPNkjPzhgg342t/9yGsVGZ7nqzhKg4EDsEYFm7P7UIy4dtPrVrx+emg2EubUNQ6W72EMRgAAAAD5Ey4P5F7CIwABhQSFIQAAqJ2gm7HEZ/sCAAAAAARZWg==',
  'base64',
);
