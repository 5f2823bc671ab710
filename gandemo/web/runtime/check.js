// Values from the page's controls, checked as gandemo/inputs.py checks the server's: the same ranges (from
// gandemo/settings.py, in site.settings) and sentences that name the input.

const shown = (value) =>
  value === null || value === undefined || value === ""
    ? "nothing (the box is empty)"
    : (typeof value === "number" && !Number.isFinite(value)) || typeof value === "bigint"
      ? String(value)
      : JSON.stringify(value);
const grouped = (n) => Number(n).toLocaleString("en-US");

/** A whole number within setting { label, low, high } (a Number, or text of digits). */
export function whole(value, { label, low, high }) {
  const number = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number)) {
    throw new RangeError(`${label} must be a whole number from ${grouped(low)} to ${grouped(high)}, got ${shown(value)}`);
  }
  if (number < low || number > high) throw new RangeError(`${label} must be from ${grouped(low)} to ${grouped(high)}, got ${grouped(number)}`);
  return number;
}

/** A seed: a whole number from 0 to 2**63 - 1 (returned as given: random.js takes Numbers and BigInts). */
export function seed(value, label = "seed") {
  const ok = (typeof value === "number" && Number.isInteger(value) && value >= 0) || (typeof value === "bigint" && value >= 0n);
  if (!ok || BigInt(value) >= 1n << 63n) throw new RangeError(`${label} must be a whole number from 0 to 2**63 - 1, got ${shown(value)}`);
  return value;
}

/** One of a list of names. */
export function choice(value, label, options) {
  if (!options.includes(value)) throw new RangeError(`${label} must be one of ${options.map((o) => `'${o}'`).join(", ")}; got ${shown(value)}`);
  return value;
}

/** A digit 0-9 (a number or its text), or null for `all` / nothing. */
export function digit(value, all) {
  if (value === null || value === undefined || value === "" || value === all) return null;
  const d = typeof value === "string" && /^\d$/.test(value) ? Number(value) : value;
  if (typeof d !== "number" || !Number.isInteger(d) || d < 0 || d > 9) throw new RangeError(`digit must be a digit from 0 to 9 or '${all}', got ${shown(value)}`);
  return d;
}

/** Python's "{:g}": six significant digits, exponent form below 1e-4 or from 1e6. */
export function formatG(value) {
  if (!Number.isFinite(value)) return String(value).replace("Infinity", "inf").replace("NaN", "nan");
  if (value === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(6)))));
  const trim = (text) => (text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text);
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, power] = value.toExponential(5).split("e");
    return `${trim(mantissa)}e${power[0] === "-" ? "-" : "+"}${power.replace(/^[+-]/, "").padStart(2, "0")}`;
  }
  return trim(value.toFixed(Math.max(0, 5 - exponent)));
}

/** A finite number within setting { label, low, high } (a Number, or its text). */
export function number(value, { label, low, high }) {
  const parsed = typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
  if (typeof parsed !== "number" || !Number.isFinite(parsed)) {
    throw new RangeError(`${label} must be a number from ${formatG(low)} to ${formatG(high)}, got ${shown(value)}`);
  }
  if (parsed < low || parsed > high) throw new RangeError(`${label} must be from ${formatG(low)} to ${formatG(high)}, got ${formatG(parsed)}`);
  return parsed;
}

/** A setting of gandemo/settings.py's table: whole or not, as it says. */
export function setting(value, spec) {
  return spec.whole ? whole(value, spec) : number(value, spec);
}
