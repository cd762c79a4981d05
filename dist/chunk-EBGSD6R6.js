import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  DataError,
  InputError
} from "./chunk-OWQR4BEP.js";

// src/data/transform/avro-schema.ts
var primitiveNames = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"];
function isPrimitiveName(s) {
  return primitiveNames.includes(s);
}
function isRecordSchema(s) {
  return typeof s === "object" && !Array.isArray(s) && (s.type === "record" || s.type === "error");
}
function isNamedSchema(s) {
  return typeof s === "object" && !Array.isArray(s) && (s.type === "record" || s.type === "error" || s.type === "enum" || s.type === "fixed");
}
function fullName(name, enclosingNamespace, ownNamespace) {
  if (name.includes(".")) return name;
  const ns = ownNamespace ?? enclosingNamespace;
  return ns ? `${ns}.${name}` : name;
}
function namespaceOf(full) {
  const i = full.lastIndexOf(".");
  return i < 0 ? void 0 : full.slice(0, i);
}
function shortName(full) {
  return full.slice(full.lastIndexOf(".") + 1);
}
var NamedTypes = class {
  byName = /* @__PURE__ */ new Map();
  /** How many times each full name is referenced (not counting its definition). */
  references = /* @__PURE__ */ new Map();
  namespaces = /* @__PURE__ */ new Map();
  constructor(root) {
    this.walk(root, void 0);
  }
  /** The namespace in force where `node` was written. */
  namespaceAt(node) {
    return this.namespaces.get(node);
  }
  /** Follows a name reference to its definition; other schemas come back unchanged. */
  resolve(schema, enclosingNamespace) {
    if (typeof schema !== "string" || isPrimitiveName(schema)) return schema;
    const def = this.byName.get(fullName(schema, enclosingNamespace)) ?? this.byName.get(schema);
    if (!def) throw new Error(`unknown type name "${schema}"`);
    return def;
  }
  /** The full name a reference string in `enclosingNamespace` points to. */
  referencedName(ref, enclosingNamespace) {
    const full = fullName(ref, enclosingNamespace);
    return this.byName.has(full) ? full : ref;
  }
  walk(s, ns) {
    if (typeof s === "string") {
      if (!isPrimitiveName(s)) {
        const full = this.byName.has(fullName(s, ns)) ? fullName(s, ns) : s;
        this.references.set(full, (this.references.get(full) ?? 0) + 1);
      }
      return;
    }
    if (Array.isArray(s)) {
      for (const b of s) this.walk(b, ns);
      return;
    }
    this.namespaces.set(s, ns);
    if (isNamedSchema(s)) {
      const full = fullName(s.name, ns, s.namespace);
      this.byName.set(full, s);
      const inner = namespaceOf(full);
      if (isRecordSchema(s)) for (const f of s.fields) this.walk(f.type, inner);
      return;
    }
    if (s.type === "array") this.walk(s.items, ns);
    else if (s.type === "map") this.walk(s.values, ns);
    else if (typeof s.type !== "string" || !isPrimitiveName(s.type)) this.walk(s.type, ns);
  }
};
function nullableBranch(s) {
  if (!Array.isArray(s) || s.length !== 2) return void 0;
  const [a, b] = s;
  if (isNull(a) && !isNull(b)) return { branch: b, nullFirst: true };
  if (isNull(b) && !isNull(a)) return { branch: a, nullFirst: false };
  return void 0;
}
function isNull(s) {
  return s === "null" || typeof s === "object" && !Array.isArray(s) && s.type === "null";
}
var logicalOnInt = /* @__PURE__ */ new Set(["date", "time-millis"]);
var logicalOnLong = /* @__PURE__ */ new Set(["time-micros", "timestamp-millis", "timestamp-micros", "local-timestamp-millis", "local-timestamp-micros"]);
function valueKind(s) {
  if (Array.isArray(s)) return "union";
  if (typeof s === "string") {
    if (isPrimitiveName(s)) return s;
    throw new Error(`valueKind needs a resolved schema, got the name "${s}"`);
  }
  switch (s.type) {
    case "record":
    case "error":
      return "record";
    case "enum":
      return "enum";
    case "array":
      return "array";
    case "map":
      return "map";
    case "fixed":
      return s.logicalType === "decimal" && decimalParams(s) ? "decimal" : "fixed";
  }
  const base = typeof s.type === "string" && isPrimitiveName(s.type) ? s.type : valueKind(s.type);
  const lt = s.logicalType;
  if (lt === "decimal" && base === "bytes" && decimalParams(s)) return "decimal";
  if (lt && base === "int" && logicalOnInt.has(lt)) return lt;
  if (lt && base === "long" && logicalOnLong.has(lt)) return lt;
  if (lt === "uuid" && base === "string") return "uuid";
  return base;
}
function decimalParams(s) {
  if (typeof s !== "object" || Array.isArray(s)) return void 0;
  const precision = s.precision;
  const scale = s.scale ?? 0;
  if (typeof precision !== "number" || !Number.isInteger(precision) || precision < 1) return void 0;
  if (typeof scale !== "number" || !Number.isInteger(scale) || scale < 0 || scale > precision) return void 0;
  if (s.type === "fixed") {
    const size = s.size;
    const maxPrecision = Math.floor(Math.log10(2) * (8 * size - 1));
    if (precision > maxPrecision) return void 0;
  }
  return { precision, scale };
}
function cloneSchema(s) {
  return structuredClone(s);
}

// src/data/avro/decimal.ts
var Decimal = class _Decimal {
  constructor(unscaled, scale) {
    this.unscaled = unscaled;
    this.scale = scale;
    if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`decimal scale must be a non-negative integer, got ${scale}`);
  }
  unscaled;
  scale;
  /** Parses `-12.30` (the scale is the number of digits after the point). */
  static parse(text) {
    const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text.trim());
    if (!m) throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
    const frac = m[3] ?? "";
    const digits = BigInt(`${m[2]}${frac}`);
    return new _Decimal(m[1] === "-" ? -digits : digits, frac.length);
  }
  /** Decodes a big-endian two's-complement integer, as Avro stores a decimal's unscaled value. */
  static fromTwosComplement(bytes, scale) {
    return new _Decimal(twosComplementToBigInt(bytes), scale);
  }
  /** Big-endian two's complement in the fewest bytes (`size` given: sign-extended to exactly `size`). */
  toTwosComplement(size) {
    return bigIntToTwosComplement(this.unscaled, size);
  }
  /** Same number and same scale. (1.0 and 1.00 are different values of different decimal types.) */
  equals(other) {
    return this.unscaled === other.unscaled && this.scale === other.scale;
  }
  /** Number of significant digits of the unscaled value (0 has 1). */
  get precision() {
    const abs = this.unscaled < 0n ? -this.unscaled : this.unscaled;
    return abs.toString().length;
  }
  toString() {
    const neg = this.unscaled < 0n;
    let digits = (neg ? -this.unscaled : this.unscaled).toString();
    if (this.scale === 0) return `${neg ? "-" : ""}${digits}`;
    if (digits.length <= this.scale) digits = digits.padStart(this.scale + 1, "0");
    const cut = digits.length - this.scale;
    return `${neg ? "-" : ""}${digits.slice(0, cut)}.${digits.slice(cut)}`;
  }
  toJSON() {
    return this.toString();
  }
};
function twosComplementToBigInt(bytes) {
  if (bytes.length === 0) return 0n;
  let n = 0n;
  for (const b of bytes) n = n << 8n | BigInt(b);
  if (bytes[0] & 128) n -= 1n << BigInt(bytes.length * 8);
  return n;
}
function bigIntToTwosComplement(value, size) {
  let len = 1;
  while (value < -(1n << BigInt(len * 8 - 1)) || value >= 1n << BigInt(len * 8 - 1)) len++;
  if (size !== void 0) {
    if (len > size) throw new RangeError(`decimal unscaled value ${value} does not fit in ${size} bytes`);
    len = size;
  }
  const out = new Uint8Array(len);
  let v = BigInt.asUintN(len * 8, value);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

// src/data/transform/decimal.ts
function make(unscaled, scale) {
  return new Decimal(unscaled, scale);
}
function isDecimal(v) {
  return typeof v === "object" && v !== null && typeof v.unscaled === "bigint" && typeof v.scale === "number";
}
var decimalText = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
function parseDecimal(text) {
  const m = decimalText.exec(text.trim());
  if (!m) return void 0;
  const [, sign, int2, frac = "", exp = "0"] = m;
  let unscaled = BigInt(int2 + frac);
  let scale = frac.length - Number(exp);
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return make(sign === "-" ? -unscaled : unscaled, scale);
}
function formatDecimal(d) {
  const negative = d.unscaled < 0n;
  const digits = (negative ? -d.unscaled : d.unscaled).toString();
  if (d.scale <= 0) return (negative ? "-" : "") + digits + "0".repeat(-d.scale);
  const padded = digits.padStart(d.scale + 1, "0");
  return `${negative ? "-" : ""}${padded.slice(0, -d.scale)}.${padded.slice(-d.scale)}`;
}
function digitCount(unscaled) {
  return (unscaled < 0n ? -unscaled : unscaled).toString().length;
}
function rescale(d, scale, round) {
  if (scale === d.scale) return d instanceof Decimal ? d : make(d.unscaled, scale);
  if (scale > d.scale) return make(d.unscaled * 10n ** BigInt(scale - d.scale), scale);
  const divisor = 10n ** BigInt(d.scale - scale);
  const quotient = d.unscaled / divisor;
  const remainder = d.unscaled % divisor;
  if (remainder === 0n) return make(quotient, scale);
  if (!round) return void 0;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  const awayFromZero = twice > divisor || twice === divisor && quotient % 2n !== 0n;
  const step = d.unscaled < 0n ? -1n : 1n;
  return make(awayFromZero ? quotient + step : quotient, scale);
}
function decimalFromNumber(n) {
  if (!Number.isFinite(n)) return void 0;
  return parseDecimal(String(n));
}
function decimalToNumber(d) {
  return Number(formatDecimal(d));
}
function compareDecimals(a, b) {
  const scale = Math.max(a.scale, b.scale);
  const x = a.unscaled * 10n ** BigInt(scale - a.scale);
  const y = b.unscaled * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

// src/data/transform/values.ts
function asBigInt(v) {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  throw new CastFailure(`expected a long, got ${describeValue(v)}`);
}
var CastFailure = class extends Error {
};
function describeValue(v) {
  if (v === null) return "null";
  if (v === void 0) return "nothing (the field is missing)";
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}\u2026` : v);
  if (typeof v === "bigint") return `${v}`;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "object" && "unscaled" in v && "scale" in v) return `decimal ${String(v.unscaled)}e-${String(v.scale)}`;
  return typeof v;
}
var MS_PER_DAY = 86400000n;
function floorDiv(a, b) {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
function formatTimestamp(count, unit) {
  const perMs = unit === "micros" ? 1000n : 1n;
  const ms = floorDiv(count, perMs);
  if (ms > 8640000000000000n || ms < -8640000000000000n) throw new CastFailure(`timestamp ${count} is outside the representable range`);
  const iso = new Date(Number(ms)).toISOString();
  if (unit === "millis") return iso;
  const micros = count - ms * 1000n;
  return `${iso.slice(0, -1)}${micros.toString().padStart(3, "0")}Z`;
}
function formatDate(days) {
  return new Date(days * 864e5).toISOString().slice(0, 10);
}
var isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
function parseDate(text) {
  const m = isoDate.exec(text);
  if (!m) return void 0;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return void 0;
  return ms / 864e5;
}
var isoTimestamp = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
function parseTimestamp(text, unit) {
  const m = isoTimestamp.exec(text);
  if (!m) return void 0;
  const days = parseDate(m[1]);
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (days === void 0 || h > 23 || mi > 59 || s > 59) return void 0;
  const frac = (m[5] ?? "").padEnd(9, "0");
  const nanos = BigInt(frac);
  let offsetMinutes = 0;
  if (m[6] !== "Z") {
    const sign = m[6].startsWith("-") ? -1 : 1;
    offsetMinutes = sign * (Number(m[6].slice(1, 3)) * 60 + Number(m[6].slice(4, 6)));
  }
  const seconds = BigInt(days) * 86400n + BigInt(h * 3600 + mi * 60 + s) - BigInt(offsetMinutes * 60);
  const totalNanos = seconds * 1000000000n + nanos;
  const perUnit = unit === "millis" ? 1000000n : 1000n;
  const count = floorDiv(totalNanos, perUnit);
  return { count, truncated: count * perUnit !== totalNanos };
}
function daysToTimestamp(days, unit) {
  return BigInt(days) * MS_PER_DAY * (unit === "micros" ? 1000n : 1n);
}
function timestampToDays(count, unit) {
  const perDay = MS_PER_DAY * (unit === "micros" ? 1000n : 1n);
  const days = floorDiv(count, perDay);
  return { days: Number(days), exact: days * perDay === count };
}

// src/data/transform/casts.ts
var INT_MIN = -2147483648;
var INT_MAX = 2147483647;
var TWO_POW_53 = 2n ** 53n;
function int(v) {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new CastFailure(`expected an int, got ${describeValue(v)}`);
}
function num(v) {
  if (typeof v === "number") return v;
  throw new CastFailure(`expected a number, got ${describeValue(v)}`);
}
function str(v) {
  if (typeof v === "string") return v;
  throw new CastFailure(`expected a string, got ${describeValue(v)}`);
}
function dec(v) {
  if (isDecimal(v)) return v;
  throw new CastFailure(`expected a decimal, got ${describeValue(v)}`);
}
function checkIntRange(n) {
  if (n < INT_MIN || n > INT_MAX) throw new CastFailure(`${n} does not fit in an int (\u22122^31 \u2026 2^31\u22121)`);
  return Number(n);
}
function toTargetDecimal(d, ctx) {
  const target = ctx.targetDecimal;
  const r = rescale(d, target.scale, ctx.to.round === true);
  if (!r) throw new CastFailure(`${formatDecimal(d)} has more than ${target.scale} digits after the point; set round: true to round half-even`);
  if (digitCount(r.unscaled) > target.precision) throw new CastFailure(`${formatDecimal(r)} has more than ${target.precision} digits (precision ${target.precision}, scale ${target.scale})`);
  return r;
}
function float32Text(n) {
  for (let p = 1; p <= 9; p++) {
    const s = n.toPrecision(p);
    if (Math.fround(Number(s)) === n) return String(Number(s));
  }
  return String(n);
}
function exactLongToDouble(v) {
  const d = Number(v);
  if ((v > TWO_POW_53 || v < -TWO_POW_53) && BigInt(d) !== v) throw new CastFailure(`${v} cannot be held exactly by a double (it would become ${BigInt(d)})`);
  return d;
}
function toFloat32(d, what) {
  if (Number.isNaN(d)) return d;
  const f = Math.fround(d);
  if (f !== d) throw new CastFailure(`${what} cannot be held exactly by a float (it would become ${f})`);
  return f;
}
var integerText = /^[+-]?\d+$/;
var numberText = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?Infinity$|^NaN$/;
function enumCheck(ctx) {
  const symbols = new Set(ctx.to.symbols ?? []);
  return (v) => {
    const s = str(v);
    if (!symbols.has(s)) throw new CastFailure(`${describeValue(s)} is not one of the enum's symbols (${[...symbols].join(", ")})`);
    return s;
  };
}
function timestampUnit(kind) {
  return kind === "timestamp-micros" ? "micros" : "millis";
}
var rules = [];
function rule(from, to, exactness, note, compile) {
  rules.push({ from, to, exactness, note, compile });
}
rule("int", "long", "exact", "widening", () => (v) => BigInt(int(v)));
rule("int", "float", "checked", "exact up to \xB12^24; a larger int that a float would round fails", () => (v) => toFloat32(int(v), `int ${String(v)}`));
rule("int", "double", "exact", "widening", () => (v) => int(v));
rule("long", "float", "checked", "a long a float cannot hold exactly fails", () => (v) => {
  const b = asBigInt(v);
  return toFloat32(exactLongToDouble(b), `long ${b}`);
});
rule("long", "double", "checked", "exact up to \xB12^53; a long a double would round fails", () => (v) => exactLongToDouble(asBigInt(v)));
rule("float", "double", "exact", "widening", () => (v) => num(v));
rule("long", "int", "checked", "a long outside the int range fails", () => (v) => checkIntRange(asBigInt(v)));
rule("double", "float", "checked", "a double a float cannot hold exactly fails", () => (v) => toFloat32(num(v), `double ${String(v)}`));
rule("int", "decimal", "checked", "fails when the digits exceed the precision", (ctx) => (v) => toTargetDecimal(parseDecimal(String(int(v))), ctx));
rule("long", "decimal", "checked", "fails when the digits exceed the precision", (ctx) => (v) => toTargetDecimal(parseDecimal(asBigInt(v).toString()), ctx));
rule("float", "decimal", "checked", "the float's shortest decimal text (0.1f is 0.1); more digits than the scale fail unless round: true", (ctx) => (v) => {
  const n = num(v);
  if (!Number.isFinite(n)) throw new CastFailure(`${n} is not a finite number`);
  return toTargetDecimal(parseDecimal(float32Text(n)), ctx);
});
rule("double", "decimal", "checked", "the double's shortest decimal text (0.1 is 0.1); more digits than the scale fail unless round: true", (ctx) => (v) => {
  const d = decimalFromNumber(num(v));
  if (!d) throw new CastFailure(`${String(v)} is not a finite number`);
  return toTargetDecimal(d, ctx);
});
rule("decimal", "decimal", "checked", "rescale: a larger scale is exact; a smaller one fails on lost digits unless round: true (half-even); fails when the digits exceed the precision", (ctx) => (v) => toTargetDecimal(dec(v), ctx));
rule("decimal", "double", "checked", "a decimal a double cannot hold exactly fails unless round: true (nearest double)", (ctx) => (v) => {
  const d = dec(v);
  const n = decimalToNumber(d);
  if (ctx.to.round !== true) {
    const back = decimalFromNumber(n);
    if (!back || rescale(back, d.scale, false)?.unscaled !== d.unscaled || back.scale > d.scale) {
      throw new CastFailure(`${formatDecimal(d)} cannot be held exactly by a double; set round: true to take the nearest double`);
    }
  }
  return n;
});
rule("int", "string", "exact", "decimal digits", () => (v) => String(int(v)));
rule("long", "string", "exact", "decimal digits", () => (v) => asBigInt(v).toString());
rule("float", "string", "exact", "shortest text that reads back as the same float", () => (v) => float32Text(num(v)));
rule("double", "string", "exact", "shortest text that reads back as the same double", () => (v) => String(num(v)));
rule("decimal", "string", "exact", "plain text with exactly `scale` digits after the point", () => (v) => formatDecimal(dec(v)));
rule("boolean", "string", "exact", "`true` / `false`", () => (v) => String(v === true));
rule("enum", "string", "exact", "the symbol", () => (v) => str(v));
rule("uuid", "string", "exact", "the uuid text", () => (v) => str(v));
rule("date", "string", "exact", "`YYYY-MM-DD`", () => (v) => formatDate(int(v)));
rule("timestamp-millis", "string", "exact", "ISO-8601 in UTC with milliseconds", () => (v) => formatTimestamp(asBigInt(v), "millis"));
rule("timestamp-micros", "string", "exact", "ISO-8601 in UTC with microseconds", () => (v) => formatTimestamp(asBigInt(v), "micros"));
rule("string", "string", "exact", "no change", () => (v) => str(v));
rule("string", "enum", "checked", "a string that is not one of `symbols` fails", enumCheck);
rule("enum", "enum", "checked", "exact when the new symbols include the old; otherwise a value outside the new symbols fails", enumCheck);
rule("string", "int", "checked", "decimal digits only (`42`, `-7`); other text or an out-of-range value fails", () => (v) => {
  const s = str(v).trim();
  if (!integerText.test(s)) throw new CastFailure(`${describeValue(v)} is not an integer`);
  return checkIntRange(BigInt(s));
});
rule("string", "long", "checked", "decimal digits only; other text or an out-of-range value fails", () => (v) => {
  const s = str(v).trim();
  if (!integerText.test(s)) throw new CastFailure(`${describeValue(v)} is not an integer`);
  const b = BigInt(s);
  if (b < -(2n ** 63n) || b >= 2n ** 63n) throw new CastFailure(`${s} does not fit in a long`);
  return b;
});
rule("string", "double", "checked", "a number in JSON or JS notation (`1.5`, `-2e3`, `NaN`, `Infinity`); other text fails", () => (v) => {
  const s = str(v).trim();
  if (!numberText.test(s)) throw new CastFailure(`${describeValue(v)} is not a number`);
  return Number(s);
});
rule("string", "float", "checked", "a number a float holds exactly; other text fails", () => (v) => {
  const s = str(v).trim();
  if (!numberText.test(s)) throw new CastFailure(`${describeValue(v)} is not a number`);
  return toFloat32(Number(s), describeValue(v));
});
rule("string", "decimal", "checked", "decimal text (`12.34`, `1e3`); more digits than the scale fail unless round: true", (ctx) => (v) => {
  const d = parseDecimal(str(v));
  if (!d) throw new CastFailure(`${describeValue(v)} is not a decimal number`);
  return toTargetDecimal(d, ctx);
});
rule("string", "boolean", "checked", "`true` or `false` exactly; other text fails", () => (v) => {
  const s = str(v);
  if (s === "true") return true;
  if (s === "false") return false;
  throw new CastFailure(`${describeValue(v)} is neither "true" nor "false"`);
});
rule("string", "date", "checked", "`YYYY-MM-DD`; other text or an impossible date fails", () => (v) => {
  const d = parseDate(str(v));
  if (d === void 0) throw new CastFailure(`${describeValue(v)} is not a date (YYYY-MM-DD)`);
  return d;
});
for (const to of ["timestamp-millis", "timestamp-micros"]) {
  rule("string", to, "checked", "ISO-8601 with a zone (`Z` or `\xB1HH:MM`); digits finer than the unit fail unless round: true (floor)", (ctx) => (v) => {
    const t = parseTimestamp(str(v), timestampUnit(to));
    if (!t) throw new CastFailure(`${describeValue(v)} is not an ISO-8601 timestamp with a zone`);
    if (t.truncated && ctx.to.round !== true) throw new CastFailure(`${describeValue(v)} is finer than ${timestampUnit(to)}; set round: true to drop the extra digits`);
    return t.count;
  });
}
rule("int", "date", "exact", "the int read as days since 1970-01-01", () => (v) => int(v));
rule("date", "int", "exact", "days since 1970-01-01", () => (v) => int(v));
rule("long", "timestamp-millis", "exact", "the long read as milliseconds since the epoch", () => (v) => asBigInt(v));
rule("long", "timestamp-micros", "exact", "the long read as microseconds since the epoch", () => (v) => asBigInt(v));
rule("timestamp-millis", "long", "exact", "milliseconds since the epoch", () => (v) => asBigInt(v));
rule("timestamp-micros", "long", "exact", "microseconds since the epoch", () => (v) => asBigInt(v));
rule("timestamp-millis", "timestamp-micros", "exact", "\xD7 1000", () => (v) => asBigInt(v) * 1000n);
rule("timestamp-micros", "timestamp-millis", "checked", "sub-millisecond digits fail unless round: true (floor)", (ctx) => (v) => {
  const b = asBigInt(v);
  const ms = floorDiv(b, 1000n);
  if (ms * 1000n !== b && ctx.to.round !== true) throw new CastFailure(`${formatTimestamp(b, "micros")} has sub-millisecond digits; set round: true to drop them`);
  return ms;
});
for (const from of ["timestamp-millis", "timestamp-micros"]) {
  rule(from, "date", "checked", "a time other than midnight UTC fails unless round: true (floor to the day)", (ctx) => (v) => {
    const b = asBigInt(v);
    const { days, exact } = timestampToDays(b, timestampUnit(from));
    if (!exact && ctx.to.round !== true) throw new CastFailure(`${formatTimestamp(b, timestampUnit(from))} is not midnight UTC; set round: true to keep only the day`);
    return days;
  });
}
rule("date", "timestamp-millis", "exact", "midnight UTC", () => (v) => daysToTimestamp(int(v), "millis"));
rule("date", "timestamp-micros", "exact", "midnight UTC", () => (v) => daysToTimestamp(int(v), "micros"));
for (const kind of ["int", "long", "float", "double", "boolean", "date", "timestamp-millis", "timestamp-micros"]) {
  rule(kind, kind, "exact", "no change", () => (v) => v);
}
function findCast(from, to) {
  return rules.find((r) => r.from === from && r.to === to);
}
function castsFrom(from) {
  return rules.filter((r) => r.from === from).map((r) => r.to);
}

// src/data/transform/literal.ts
var INT_MIN2 = -2147483648;
var INT_MAX2 = 2147483647;
function literalToValue(literal, target) {
  const v = literal;
  const fail = (what) => {
    throw new CastFailure(`${describeValue(v)} is not ${what}`);
  };
  switch (target.kind) {
    case "string":
    case "uuid":
      return typeof v === "string" ? v : fail("a string");
    case "enum":
      if (typeof v === "string" && target.symbols?.includes(v)) return v;
      return fail(`one of the enum's symbols (${(target.symbols ?? []).join(", ")})`);
    case "boolean":
      return typeof v === "boolean" ? v : fail("true or false");
    case "int":
    case "time-millis":
      return typeof v === "number" && Number.isInteger(v) && v >= INT_MIN2 && v <= INT_MAX2 ? v : fail("an int");
    case "long":
    case "time-micros":
    case "local-timestamp-millis":
    case "local-timestamp-micros":
      if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
      if (typeof v === "string" && /^[+-]?\d+$/.test(v)) return BigInt(v);
      return fail("a long (an integer, or digits in quotes beyond 2^53)");
    case "float":
    case "double":
      return typeof v === "number" ? v : fail("a number");
    case "date": {
      if (typeof v === "number" && Number.isInteger(v)) return v;
      const d = typeof v === "string" ? parseDate(v) : void 0;
      return d ?? fail("a date (YYYY-MM-DD)");
    }
    case "timestamp-millis":
    case "timestamp-micros": {
      const unit = target.kind === "timestamp-micros" ? "micros" : "millis";
      if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
      const t = typeof v === "string" ? parseTimestamp(v, unit) : void 0;
      if (!t || t.truncated) return fail(`an ISO-8601 timestamp with a zone, at most ${unit} precise`);
      return t.count;
    }
    case "decimal": {
      const d = typeof v === "string" ? parseDecimal(v) : typeof v === "number" ? decimalFromNumber(v) : void 0;
      if (!d) return fail("a decimal number");
      const { precision, scale } = target.decimal;
      const r = rescale(d, scale, false);
      if (!r) return fail(`a decimal with at most ${scale} digits after the point`);
      if (digitCount(r.unscaled) > precision) return fail(`a decimal of at most ${precision} digits`);
      return r;
    }
    case "null":
      return v === null ? null : fail("null");
    default:
      return fail(`a value Fleetwave can write for a ${target.kind} (give defaults for strings, numbers, booleans, enums, decimals, dates and timestamps)`);
  }
}
function valueToSchemaDefault(value, kind) {
  if (value === null) return null;
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new CastFailure(`${value} cannot be written as a JSON default exactly`);
    }
    return Number(value);
  }
  if (kind === "decimal" && isDecimal(value)) return bytesToJsonString(twosComplement(value.unscaled));
  if (value instanceof Uint8Array) return bytesToJsonString(value);
  return value;
}
function schemaDefaultToValue(json, target) {
  if (json === null) return null;
  switch (target.kind) {
    case "decimal": {
      if (typeof json !== "string") throw new CastFailure(`decimal default ${describeValue(json)} is not a byte string`);
      return new Decimal(fromTwosComplement(jsonStringToBytes(json)), target.decimal.scale);
    }
    case "bytes":
    case "fixed":
      if (typeof json !== "string") throw new CastFailure(`bytes default ${describeValue(json)} is not a byte string`);
      return jsonStringToBytes(json);
    case "long":
    case "time-micros":
    case "timestamp-millis":
    case "timestamp-micros":
    case "local-timestamp-millis":
    case "local-timestamp-micros":
      if (typeof json === "number" && Number.isInteger(json)) return BigInt(json);
      throw new CastFailure(`long default ${describeValue(json)} is not an integer`);
    default:
      return json;
  }
}
function twosComplement(n) {
  let bytes = 1;
  while (n >= 1n << BigInt(8 * bytes - 1) || n < -(1n << BigInt(8 * bytes - 1))) bytes++;
  const out = new Uint8Array(bytes);
  let x = BigInt.asUintN(8 * bytes, n);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}
function fromTwosComplement(bytes) {
  if (bytes.length === 0) return 0n;
  let x = 0n;
  for (const b of bytes) x = x << 8n | BigInt(b);
  return BigInt.asIntN(8 * bytes.length, x);
}
function bytesToJsonString(bytes) {
  return String.fromCharCode(...bytes);
}
function jsonStringToBytes(s) {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 255;
  return out;
}

// src/data/transform/apply.ts
function compileTransform(sourceSchema, steps, options = {}) {
  const where = options.where ?? "dataset.transform";
  if (!isRecordSchema(sourceSchema)) {
    throw new InputError(`${where}: the source schema is ${describeSchema(sourceSchema)}, not a record; transform steps apply to the fields of a record`);
  }
  const schema = cloneSchema(sourceSchema);
  const names = new NamedTypes(schema);
  const root = recordPlan(schema, namespaceOf(fullName(schema.name, void 0, schema.namespace)), names, `${where}`);
  const notes = [];
  steps.forEach((step, i) => {
    const ctx = { label: `${where}[${i}]`, names, notes };
    try {
      applyStep(root, step, ctx);
    } catch (err) {
      if (err instanceof CastFailure) throw new InputError(`${ctx.label}: ${err.message}`);
      throw err;
    }
  });
  finalize(root);
  const fn = recordFunction(root);
  return { targetSchema: schema, transformRecord: fn ?? ((r) => r), identity: fn === void 0, notes };
}
function recordPlan(schema, namespace, names, label) {
  return {
    schema,
    namespace,
    originalNames: schema.fields.map((f) => f.name),
    changed: false,
    fields: schema.fields.map((f) => fieldPlan(f, namespace, names, label))
  };
}
function fieldPlan(field, namespace, names, label) {
  const { kindSchema, nullable } = unwrapNullable(field.type, namespace, names, label, field.name);
  return { field, source: { name: field.name }, target: literalTarget(kindSchema), nullable, converts: [] };
}
function unwrapNullable(type, namespace, names, label, fieldName) {
  const nb = nullableBranch(type);
  const inner = nb ? nb.branch : type;
  let resolved;
  try {
    resolved = names.resolve(inner, namespace);
  } catch (err) {
    throw new InputError(`${label}: field "${fieldName}": ${err.message}`);
  }
  return { kindSchema: resolved, nullable: nb !== void 0 };
}
function literalTarget(s) {
  const kind = valueKind(s);
  const t = { kind };
  if (kind === "enum") t.symbols = s.symbols;
  if (kind === "decimal") t.decimal = decimalParams(s);
  return t;
}
function applyStep(root, step, ctx) {
  if ("rename" in step) return rename(root, step.rename.from, step.rename.to, ctx);
  if ("cast" in step) return cast(root, step.cast.field, step.cast.to, ctx);
  if ("drop" in step) {
    for (const path of Array.isArray(step.drop) ? step.drop : [step.drop]) drop(root, path, ctx);
    return;
  }
  return setDefault(root, step.default.field, step.default.value, ctx);
}
function locate(root, path, ctx) {
  const segments = path.split(".");
  let record = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i];
    const at = segments.slice(0, i + 1).join(".");
    const fp = record.fields.find((f) => f.field.name === seg);
    if (!fp) throw new InputError(`${ctx.label}: no field "${at}" (fields here: ${record.fields.map((f) => f.field.name).join(", ")})`);
    record = nestedPlan(record, fp, at, ctx);
  }
  const name = segments[segments.length - 1];
  return { record, name, index: record.fields.findIndex((f) => f.field.name === name) };
}
function nestedPlan(parent, fp, at, ctx) {
  if (fp.nested) return fp.nested;
  if (fp.converts.length > 0 || !("name" in fp.source)) {
    throw new InputError(`${ctx.label}: field "${at}" was changed by an earlier step and is no longer a record`);
  }
  const nb = nullableBranch(fp.field.type);
  const inner = nb ? nb.branch : fp.field.type;
  const resolved = typeof inner === "string" ? ctx.names.resolve(inner, parent.namespace) : inner;
  if (!isRecordSchema(resolved)) {
    throw new InputError(`${ctx.label}: field "${at}" is ${describeSchema(resolved)}, not a record (a step reaches fields of nested records, optionally nullable)`);
  }
  const full = fullName(resolved.name, parent.namespace, resolved.namespace);
  if (typeof inner === "string" || (ctx.names.references.get(full) ?? 0) > 0) {
    throw new InputError(`${ctx.label}: record type "${full}" is used by more than one field, so a step cannot change it in one place only`);
  }
  fp.nested = recordPlan(resolved, namespaceOf(full), ctx.names, ctx.label);
  parent.changed = true;
  return fp.nested;
}
function rename(root, from, to, ctx) {
  const { record, name, index } = locate(root, from, ctx);
  if (index < 0) throw new InputError(`${ctx.label}: no field "${from}" to rename (fields here: ${record.fields.map((f) => f.field.name).join(", ")})`);
  const fromParent = from.split(".").slice(0, -1).join(".");
  const toSegments = to.split(".");
  const toParent = toSegments.slice(0, -1).join(".");
  if (toSegments.length > 1 && toParent !== fromParent) {
    throw new InputError(`${ctx.label}: rename keeps a field in its record; "${to}" is not beside "${from}" (write just the new name)`);
  }
  const newName = toSegments[toSegments.length - 1];
  if (newName === name) return;
  if (record.fields.some((f) => f.field.name === newName)) throw new InputError(`${ctx.label}: cannot rename "${from}" to "${to}": a field "${newName}" already exists`);
  const fp = record.fields[index];
  const aliases = new Set(fp.field.aliases ?? []);
  aliases.add(name);
  aliases.delete(newName);
  fp.field = { ...fp.field, name: newName, aliases: [...aliases] };
  record.changed = true;
}
function drop(root, path, ctx) {
  const { record, index } = locate(root, path, ctx);
  if (index < 0) throw new InputError(`${ctx.label}: no field "${path}" to drop (fields here: ${record.fields.map((f) => f.field.name).join(", ")})`);
  if (record.fields.length === 1) throw new InputError(`${ctx.label}: dropping "${path}" would leave its record without fields`);
  record.fields.splice(index, 1);
  record.changed = true;
}
function cast(root, path, to, ctx) {
  const { record, index } = locate(root, path, ctx);
  if (index < 0) throw new InputError(`${ctx.label}: no field "${path}" to cast (fields here: ${record.fields.map((f) => f.field.name).join(", ")})`);
  const fp = record.fields[index];
  if (fp.nested) throw new InputError(`${ctx.label}: field "${path}" is a record; cast applies to a single value`);
  const label = `${ctx.label} (cast ${path})`;
  const from = fp.target.kind;
  if (from === "union") throw new InputError(`${label}: the field is a union of several types; cast applies to a single type or ["null", T]`);
  const rule2 = findCast(from, to.type);
  if (!rule2) {
    const legal = castsFrom(from);
    throw new InputError(`${label}: cannot cast ${from} to ${to.type}; from ${from} the legal casts are: ${legal.length ? legal.join(", ") : "none"} (see docs/transforms.md)`);
  }
  const castCtx = { to };
  if (from === "decimal") castCtx.sourceDecimal = fp.target.decimal;
  if (from === "enum") castCtx.sourceSymbols = fp.target.symbols;
  let newType;
  const newTarget = { kind: to.type === "decimal" ? "decimal" : to.type === "enum" ? "enum" : to.type };
  if (to.type === "decimal") {
    const precision = to.precision ?? castCtx.sourceDecimal?.precision;
    const scale = to.scale ?? castCtx.sourceDecimal?.scale ?? 0;
    if (precision === void 0) throw new InputError(`${label}: a cast to decimal needs a precision (1 to 38)`);
    if (scale > precision) throw new InputError(`${label}: the scale (${scale}) cannot exceed the precision (${precision})`);
    castCtx.targetDecimal = { precision, scale };
    newTarget.decimal = castCtx.targetDecimal;
    newType = { type: "bytes", logicalType: "decimal", precision, scale };
  } else if (to.type === "enum") {
    const symbols = to.symbols ?? castCtx.sourceSymbols;
    if (!symbols) throw new InputError(`${label}: a cast to enum needs its symbols`);
    for (const s of symbols) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) throw new InputError(`${label}: enum symbol "${s}" is not an Avro name (letters, digits, _; not starting with a digit)`);
    if (new Set(symbols).size !== symbols.length) throw new InputError(`${label}: the enum symbols repeat a name`);
    castCtx.to = { ...to, symbols };
    newTarget.symbols = symbols;
    const name = to.name ?? pascalCase(fp.field.name);
    const full = fullName(name, record.namespace);
    if (ctx.names.byName.has(full)) throw new InputError(`${label}: the type name "${full}" is taken; give the enum another name with to.name`);
    const enumSchema = { type: "enum", name, symbols };
    ctx.names.byName.set(full, enumSchema);
    newType = enumSchema;
  } else if (to.type === "date" || to.type === "timestamp-millis" || to.type === "timestamp-micros") {
    newType = { type: to.type === "date" ? "int" : "long", logicalType: to.type };
  } else {
    newType = to.type;
  }
  if (from === to.type && to.type !== "decimal" && to.type !== "enum") return;
  const convert = rule2.compile(castCtx);
  fp.converts.push(guarded(convert, label, fp.nullable));
  const nb = nullableBranch(fp.field.type);
  const field = { ...fp.field, type: nb ? nb.nullFirst ? ["null", newType] : [newType, "null"] : newType };
  if ("default" in fp.field) {
    try {
      const before = schemaDefaultToValue(fp.field.default, fp.field.default === null ? { kind: "null" } : fp.target);
      field.default = before === null ? null : valueToSchemaDefault(convert(before), newTarget.kind);
    } catch (err) {
      if (!(err instanceof CastFailure)) throw err;
      delete field.default;
      ctx.notes.push(`${label}: the field's default ${JSON.stringify(fp.field.default)} could not be cast (${err.message}); the target schema has no default for it`);
    }
  }
  fp.field = field;
  fp.target = newTarget;
  record.changed = true;
}
function setDefault(root, path, value, ctx) {
  const { record, name, index } = locate(root, path, ctx);
  const label = `${ctx.label} (default ${path})`;
  if (index < 0) {
    const typed = typeOfLiteral(value, label);
    const constant = literalToValue(value, typed.target);
    record.fields.push({
      field: { name, type: typed.schema, default: valueToSchemaDefault(constant, typed.target.kind) },
      source: { constant },
      target: typed.target,
      nullable: false,
      converts: []
    });
    record.changed = true;
    return;
  }
  const fp = record.fields[index];
  if (fp.nested) throw new InputError(`${label}: field "${path}" is a record; a default is a single value`);
  if (fp.target.kind === "union") throw new InputError(`${label}: the field is a union of several types; a default applies to a single type or ["null", T]`);
  if (value === null) throw new InputError(`${label}: a default of null changes nothing; give the value that replaces null`);
  let filled;
  try {
    filled = literalToValue(value, fp.target);
  } catch (err) {
    if (err instanceof CastFailure) throw new InputError(`${label}: ${err.message}`);
    throw err;
  }
  const nb = nullableBranch(fp.field.type);
  const type = nb ? nb.branch : fp.field.type;
  fp.field = { ...fp.field, type, default: valueToSchemaDefault(filled, fp.target.kind) };
  if (fp.nullable) fp.converts.push((v) => v === null || v === void 0 ? filled : v);
  fp.nullable = false;
  record.changed = true;
}
function typeOfLiteral(value, label) {
  if (typeof value === "string") return { schema: "string", target: { kind: "string" } };
  if (typeof value === "boolean") return { schema: "boolean", target: { kind: "boolean" } };
  if (typeof value === "number") {
    return Number.isSafeInteger(value) ? { schema: "long", target: { kind: "long" } } : { schema: "double", target: { kind: "double" } };
  }
  throw new InputError(`${label}: there is no such field, and a new field's type comes from its value; null gives none (give a string, number or boolean)`);
}
function guarded(convert, label, nullable) {
  return (v) => {
    if (nullable && v === null) return null;
    try {
      return convert(v);
    } catch (err) {
      if (err instanceof CastFailure) throw new DataError(`${label}: ${err.message}`);
      throw err;
    }
  };
}
function finalize(rp) {
  for (const fp of rp.fields) {
    if (fp.nested) finalize(fp.nested);
  }
  rp.schema.fields = rp.fields.map((f) => f.field);
}
function recordFunction(rp) {
  const parts = rp.fields.map((fp) => {
    const nestedFn = fp.nested ? recordFunction(fp.nested) : void 0;
    const fns2 = [];
    if (nestedFn) fns2.push(fp.nullable ? (v) => v === null ? null : nestedFn(v) : (v) => nestedFn(v));
    fns2.push(...fp.converts);
    const fn = fns2.length === 0 ? void 0 : fns2.length === 1 ? fns2[0] : (v) => fns2.reduce((acc, f) => f(acc), v);
    return { key: fp.field.name, from: "name" in fp.source ? fp.source.name : void 0, constant: "constant" in fp.source ? fp.source.constant : void 0, fn };
  });
  const untouched = !rp.changed || parts.length === rp.originalNames.length && parts.every((p, i) => p.fn === void 0 && p.from === rp.originalNames[i] && p.key === p.from);
  if (untouched) return void 0;
  const n = parts.length;
  const keys = parts.map((p) => p.key);
  const froms = parts.map((p) => p.from);
  const constants = parts.map((p) => p.constant);
  const fns = parts.map((p) => p.fn);
  return (record) => {
    const out = {};
    for (let i = 0; i < n; i++) {
      const from = froms[i];
      const v = from === void 0 ? constants[i] : record[from];
      const fn = fns[i];
      out[keys[i]] = fn === void 0 ? v : fn(v);
    }
    return out;
  };
}
function pascalCase(name) {
  return name.split("_").filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}
function describeSchema(s) {
  if (Array.isArray(s)) return "a union";
  return `of type ${typeof s === "string" ? s : typeof s.type === "string" ? s.type : "union"}`;
}

export {
  Decimal,
  isPrimitiveName,
  isRecordSchema,
  fullName,
  namespaceOf,
  shortName,
  NamedTypes,
  nullableBranch,
  isNull,
  valueKind,
  decimalParams,
  isDecimal,
  formatDecimal,
  compareDecimals,
  compileTransform
};
