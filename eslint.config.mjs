// ESLint for the browser code (npm run check): the recommended rules, modules in a browser or a worker, and
// functions under 60 lines, as for the Python.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["gandemo/web/vendor/**", "node_modules/**"] },
  js.configs.recommended,
  {
    files: ["gandemo/web/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, ...globals.worker, tf: "readonly" },
    },
    rules: {
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
      "no-unused-vars": ["error", { ignoreRestSiblings: true }], // (`{ a, ...rest }` drops a on purpose)
    },
  },
];
