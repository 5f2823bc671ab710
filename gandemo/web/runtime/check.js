// Values from the page's controls, checked as gandemo/core/inputs.py checks the server's: the same ranges (from
// gandemo/core/settings.py, in site.settings) and sentences that name the input.

const MAX_SHOWN = 40; // a visitor's value is quoted in a sentence at most this long (gandemo/core/inputs.py's)

/** Text quoted as Python's repr quotes it (so both languages say the same sentence). */
const quoted = (text) =>
  text.includes("'") && !text.includes('"') ? `"${text}"` : `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/**
 * A visitor's value as it is quoted back to them, as gandemo/core/inputs.py's shown(): short, plain text (the page
 * shows it as text, never as markup).
 * @param {unknown} value
 */
export function shown(value) {
  if (value === null || value === undefined || value === "") return "nothing (the box is empty)";
  let text;
  if (typeof value === "string") text = quoted(value.slice(0, MAX_SHOWN));
  else if (typeof value === "number" || typeof value === "bigint") text = String(value);
  else if (typeof value === "boolean") text = value ? "True" : "False";
  else text = JSON.stringify(value) ?? String(value);
  return text.length <= MAX_SHOWN ? text : text.slice(0, MAX_SHOWN - 3) + "...";
}
const grouped = (n) => Number(n).toLocaleString("en-US");

/** Is `value` the text of a number as a link may write it for this setting (its `text`: gandemo/core/settings.py's
 * pattern, ASCII digits only, matched whole)? */
const isText = (value, { text }) => typeof value === "string" && new RegExp(`^(?:${text})$`).test(value.trim());

/** A whole number within setting { label, low, high, text } (a Number, or text of digits). */
export function whole(value, spec) {
  const { label, low, high } = spec;
  const number = isText(value, spec) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number)) {
    throw new RangeError(
      `${label} must be a whole number from ${grouped(low)} to ${grouped(high)}, got ${shown(value)}`,
    );
  }
  if (number < low || number > high)
    throw new RangeError(`${label} must be from ${grouped(low)} to ${grouped(high)}, got ${grouped(number)}`);
  return number;
}

const SEED_TEXT = /^\s*([0-9]{1,19})\s*$/; // ASCII digits only, as gandemo/core/inputs.py's SEED_TEXT

/**
 * A seed, by gandemo/core/inputs.py's one rule: a whole number from 0 to 2**63 - 1, exactly: a safe-integer Number,
 * a BigInt, or text of ASCII digits. Returned as a Number where that is exact, else as a BigInt.
 * @param {unknown} value
 * @returns {number | bigint}
 */
export function seed(value, label = "seed") {
  let big = null;
  const match = typeof value === "string" ? SEED_TEXT.exec(value) : null;
  if (match) big = BigInt(match[1]);
  else if (typeof value === "bigint") big = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) big = BigInt(value);
  if (big === null || big < 0n || big >= 1n << 63n)
    throw new RangeError(`${label} must be a whole number from 0 to 2**63 - 1, got ${shown(value)}`);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** One of a list of names. */
export function choice(value, label, options) {
  if (!options.includes(value))
    throw new RangeError(`${label} must be one of ${options.map((o) => `'${o}'`).join(", ")}; got ${shown(value)}`);
  return value;
}

/** A digit 0-9 (a number or its text), or null for `all` / nothing. */
export function digit(value, all) {
  if (value === null || value === undefined || value === "" || value === all) return null;
  const d = typeof value === "string" && /^\d$/.test(value) ? Number(value) : value;
  if (typeof d !== "number" || !Number.isInteger(d) || d < 0 || d > 9)
    throw new RangeError(`digit must be a digit from 0 to 9 or '${all}', got ${shown(value)}`);
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

/** A finite number within setting { label, low, high, text } (a Number, or its text). */
export function number(value, spec) {
  const { label, low, high } = spec;
  const parsed = isText(value, spec) ? Number(value) : value;
  if (typeof parsed !== "number" || !Number.isFinite(parsed)) {
    throw new RangeError(`${label} must be a number from ${formatG(low)} to ${formatG(high)}, got ${shown(value)}`);
  }
  if (parsed < low || parsed > high)
    throw new RangeError(`${label} must be from ${formatG(low)} to ${formatG(high)}, got ${formatG(parsed)}`);
  return parsed;
}

/** A setting of gandemo/core/settings.py's table: whole or not, as it says. */
export function setting(value, spec) {
  return spec.whole ? whole(value, spec) : number(value, spec);
}
