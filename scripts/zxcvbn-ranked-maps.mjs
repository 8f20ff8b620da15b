// A build-time change to zxcvbn 4.4.2's lib/matching.js, applied to node_modules' file as it is
// bundled into dist/zxcvbn.cjs (scripts/build.mjs); nothing of zxcvbn is copied into this
// repository. Loading zxcvbn is most of what a password check waits for, and most of that load
// is `build_ranked_dict` adding its 94,000 dictionary words, one by one, as keys of plain
// objects (~40 ms); the same words in Maps take about half as long, and a Map answers the
// lookups of a check faster too.
//
// matching.js reads a ranked dictionary in exactly two ways, `word in dict` and `dict[word]`,
// both in dictionary_match, on dictionaries that build_ranked_dict made; nothing iterates one
// or reads its keys. These become `dict.has(word)` and `dict.get(word)` on a Map holding what
// the plain object held: its words (but "__proto__", which an object never takes as a key of
// its own), and before them what every object inherits ("constructor", "__proto__", ...),
// which a word of the same name shadows as it did. test/package/zxcvbn-bundle.test.ts scores
// thousands of passwords with both and requires the same results.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** sha256 of zxcvbn 4.4.2's lib/matching.js: any other file fails the build instead of being changed unread. */
export const MATCHING_JS_SHA256 = '963b2787ba7d7f6a8a242eb6d2ac17d11930bfdbcfbefee994bd01f36ed99ede';

const BUILD_START = 'build_ranked_dict = function(ordered_list) {';
const BUILD_END = '\n};\n';

const BUILD_RANKED_MAP = `build_ranked_dict = function(ordered_list) {
  var ranks = new Map(), plain = {}, inherited = Object.getOwnPropertyNames(Object.prototype), o;
  for (o = 0; o < inherited.length; o++) ranks.set(inherited[o], plain[inherited[o]]);
  for (o = 0; o < ordered_list.length; o++) {
    if (ordered_list[o] !== '__proto__') ranks.set(ordered_list[o], o + 1);
  }
  return ranks;
};
`;

/** The two reads of a ranked dictionary in dictionary_match, as Map reads. */
const LOOKUPS = [
  ['if (password_lower.slice(i, +j + 1 || 9e9) in ranked_dict) {', 'if (ranked_dict.has(password_lower.slice(i, +j + 1 || 9e9))) {'],
  ['rank = ranked_dict[word];', 'rank = ranked_dict.get(word);'],
];

/** matching.js with its ranked dictionaries built and read as Maps; throws on any file but the one checked. */
export function withRankedMaps(source) {
  const sha256 = createHash('sha256').update(source).digest('hex');
  if (sha256 !== MATCHING_JS_SHA256) {
    throw new Error(
      `zxcvbn/lib/matching.js is not the file scripts/zxcvbn-ranked-maps.mjs was written for (sha256 ${sha256}, expected ${MATCHING_JS_SHA256}): ` +
        'check every use of its ranked dictionaries in the new one, then update the change and the hash',
    );
  }
  const start = source.indexOf(BUILD_START);
  const end = source.indexOf(BUILD_END, start) + BUILD_END.length;
  let changed = source.slice(0, start) + BUILD_RANKED_MAP + source.slice(end);
  for (const [read, mapRead] of LOOKUPS) changed = changed.split(read).join(mapRead);
  return changed;
}

/** The esbuild plugin: applies withRankedMaps to zxcvbn's matching.js, and fails a build that bundles zxcvbn without it. */
export const zxcvbnRankedMaps = {
  name: 'zxcvbn-ranked-maps',
  setup(b) {
    let changed = false;
    b.onStart(() => {
      changed = false;
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]zxcvbn[\\/]lib[\\/]matching\.js$/ }, async ({ path: file }) => {
      const contents = withRankedMaps(await readFile(file, 'utf8'));
      changed = true;
      return { contents, loader: 'js' };
    });
    b.onEnd((result) => {
      const bundled = Object.keys(result.metafile?.inputs ?? {}).some((input) => /node_modules\/zxcvbn\//.test(input));
      if (bundled && !changed) return { errors: [{ text: "zxcvbn was bundled without the change to lib/matching.js (scripts/zxcvbn-ranked-maps.mjs): did its path change?" }] };
      return undefined;
    });
  },
};
