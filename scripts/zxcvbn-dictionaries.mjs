// A build-time change to zxcvbn 4.4.2, applied to node_modules' files as they are bundled into
// dist/zxcvbn.cjs (scripts/build.mjs); nothing of zxcvbn is copied into this repository.
// Loading zxcvbn is most of what a password check waits for, and most of that load is
// lib/frequency_lists.js splitting six lists of 94,000 words and lib/matching.js adding each
// word, one by one, as a key of a plain object (`build_ranked_dict`, ~40 ms with the garbage
// it leaves). Here the six ranked dictionaries are built once, at build time, into the form a
// lookup reads directly (scripts/zxcvbn-ranked-words.cjs: words grouped by length, sorted and
// written end to end, beside their ranks), which loads in a few milliseconds.
//
// matching.js reads a ranked dictionary in exactly two ways, `word in dict` and `dict[word]`,
// both in dictionary_match, on dictionaries that build_ranked_dict made; nothing iterates one
// or reads its keys. These become `dict.has(word)` and `dict.get(word)`: on a prebuilt list
// for the six lists, on a Map (built per check, as before) for the user inputs. Both answer
// what the plain object answered: its words (but "__proto__", which an object never takes as
// a key of its own), and what every object inherits ("constructor", "__proto__", ...), which
// a word of the same name shadows. test/package/zxcvbn-bundle.test.ts scores thousands of
// passwords with both and requires the same results.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** sha256 of zxcvbn 4.4.2's lib/matching.js: any other file fails the build instead of being changed unread. */
export const MATCHING_JS_SHA256 = '963b2787ba7d7f6a8a242eb6d2ac17d11930bfdbcfbefee994bd01f36ed99ede';

const RANKED_WORDS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'zxcvbn-ranked-words.cjs');

const BUILD_START = 'build_ranked_dict = function(ordered_list) {';
const BUILD_END = '\n};\n';

/** For the user inputs, the one dictionary still built per check. */
const BUILD_RANKED_MAP = `build_ranked_dict = function(ordered_list) {
  var ranks = new Map(), plain = {}, inherited = Object.getOwnPropertyNames(Object.prototype), o;
  for (o = 0; o < inherited.length; o++) ranks.set(inherited[o], plain[inherited[o]]);
  for (o = 0; o < ordered_list.length; o++) {
    if (ordered_list[o] !== '__proto__') ranks.set(ordered_list[o], o + 1);
  }
  return ranks;
};
`;

/** The six lists arrive ranked (frequencyListsModule): they are taken as they are. */
const RANK_LISTS = [
  'for (name in frequency_lists) {\n  lst = frequency_lists[name];\n  RANKED_DICTIONARIES[name] = build_ranked_dict(lst);\n}',
  'for (name in frequency_lists) {\n  RANKED_DICTIONARIES[name] = frequency_lists[name];\n}',
];

/** The two reads of a ranked dictionary in dictionary_match. */
const LOOKUPS = [
  ['if (password_lower.slice(i, +j + 1 || 9e9) in ranked_dict) {', 'if (ranked_dict.has(password_lower.slice(i, +j + 1 || 9e9))) {'],
  ['rank = ranked_dict[word];', 'rank = ranked_dict.get(word);'],
];

function replaceOnce(source, from, to) {
  const at = source.indexOf(from);
  if (at < 0 || source.indexOf(from, at + 1) >= 0) throw new Error(`zxcvbn/lib/matching.js: expected exactly one ${JSON.stringify(from)}`);
  return source.slice(0, at) + to + source.slice(at + from.length);
}

/** matching.js reading prebuilt ranked dictionaries; throws on any file but the one checked. */
export function withPrebuiltDictionaries(source) {
  const sha256 = createHash('sha256').update(source).digest('hex');
  if (sha256 !== MATCHING_JS_SHA256) {
    throw new Error(
      `zxcvbn/lib/matching.js is not the file scripts/zxcvbn-dictionaries.mjs was written for (sha256 ${sha256}, expected ${MATCHING_JS_SHA256}): ` +
        'check every use of its ranked dictionaries in the new one, then update the change and the hash',
    );
  }
  const start = source.indexOf(BUILD_START);
  const end = source.indexOf(BUILD_END, start) + BUILD_END.length;
  let changed = source.slice(0, start) + BUILD_RANKED_MAP + source.slice(end);
  changed = replaceOnce(changed, ...RANK_LISTS);
  for (const [read, mapRead] of LOOKUPS) changed = replaceOnce(changed, read, mapRead);
  return changed;
}

const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Digits of a rank in base 36, as RankedWords reads them. */
const { RANK_DIGITS } = createRequire(import.meta.url)(RANKED_WORDS);

/**
 * One ordered list as RankedWords' groups: for each length, its words sorted and joined, and
 * their ranks, each in RANK_DIGITS base-36 digits (the file stays ASCII, which Node reads and
 * V8 holds in half the bytes). A word listed twice keeps its last rank, as build_ranked_dict's
 * object did; "__proto__" is left to what the object inherited.
 */
export function rankedGroups(orderedList) {
  if (orderedList.length >= 36 ** RANK_DIGITS) throw new Error(`a list of ${orderedList.length} words: its ranks do not fit ${RANK_DIGITS} base-36 digits`);
  const ranks = new Map();
  orderedList.forEach((word, index) => word !== '__proto__' && ranks.set(word, index + 1));
  const byLength = [];
  for (const word of [...ranks.keys()].sort(byCodeUnit)) (byLength[word.length] ??= []).push(word);
  return Array.from(byLength, (words) => (words ? [words.join(''), words.map((word) => ranks.get(word).toString(36).padStart(RANK_DIGITS, '0')).join('')] : null));
}

/** lib/frequency_lists.js as the module it is replaced with: the same names, in the same order, each a RankedWords. */
export function frequencyListsModule(frequencyLists) {
  const lists = Object.entries(frequencyLists).map(([name, list]) => `  ${JSON.stringify(name)}: new RankedWords(${JSON.stringify(rankedGroups(list))}),`);
  return `var RankedWords = require(${JSON.stringify(RANKED_WORDS)}).RankedWords;\nmodule.exports = {\n${lists.join('\n')}\n};\n`;
}

/** The esbuild plugin: the two changes above, and a build that bundles zxcvbn without both fails. */
export const zxcvbnDictionaries = {
  name: 'zxcvbn-dictionaries',
  setup(b) {
    const changed = new Set();
    b.onStart(() => changed.clear());
    b.onLoad({ filter: /[\\/]node_modules[\\/]zxcvbn[\\/]lib[\\/]matching\.js$/ }, async ({ path: file }) => {
      changed.add('matching.js');
      return { contents: withPrebuiltDictionaries(await readFile(file, 'utf8')), loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]zxcvbn[\\/]lib[\\/]frequency_lists\.js$/ }, ({ path: file }) => {
      changed.add('frequency_lists.js');
      return { contents: frequencyListsModule(createRequire(import.meta.url)(file)), loader: 'js', resolveDir: path.dirname(file) };
    });
    b.onEnd((result) => {
      const bundled = Object.keys(result.metafile?.inputs ?? {}).some((input) => /node_modules\/zxcvbn\//.test(input));
      if (bundled && changed.size !== 2) {
        return { errors: [{ text: 'zxcvbn was bundled without both changes of scripts/zxcvbn-dictionaries.mjs (lib/matching.js and lib/frequency_lists.js): did their paths change?' }] };
      }
      return undefined;
    });
  },
};
