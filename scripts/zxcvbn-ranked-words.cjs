'use strict';
// Bundled into dist/zxcvbn.cjs in place of what zxcvbn 4.4.2's lib/frequency_lists.js builds
// at load (scripts/zxcvbn-dictionaries.mjs): one of its ranked dictionaries, read by
// dictionary_match through has() and get() as it read the plain object build_ranked_dict made.
//
// `groups[L]` holds the words of L UTF-16 code units, sorted by code unit and written one after
// another (so word k starts at k * L: no list to split, no Map to fill at load), and beside them
// their ranks, each in RANK_DIGITS base-36 digits. A lookup is a binary search in the one group
// of the word's own length.

/** What every plain object answers for a name it inherits: build_ranked_dict's objects did too. */
const PLAIN = {};
/** Digits of a rank in base 36, each rank written in this many (30,000 needs three); scripts/zxcvbn-dictionaries.mjs writes them. */
const RANK_DIGITS = 3;
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

class RankedWords {
  /** @param {Array<[string, string] | null>} groups */
  constructor(groups) {
    this.groups = groups;
  }

  /** The word's rank (1 for the most frequent), or 0 when it is not in the list. */
  rank(word) {
    const size = word.length;
    const group = this.groups[size];
    if (!group) return 0;
    const words = group[0];
    const ranks = group[1];
    let low = 0;
    let high = ranks.length / RANK_DIGITS - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const start = middle * size;
      let order = 0;
      for (let k = 0; k < size && order === 0; k += 1) order = words.charCodeAt(start + k) - word.charCodeAt(k);
      if (order === 0) return parseInt(ranks.slice(middle * RANK_DIGITS, (middle + 1) * RANK_DIGITS), 36);
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return 0;
  }

  /** `word in dictionary` on the object build_ranked_dict made. */
  has(word) {
    return this.rank(word) > 0 || INHERITED.has(word);
  }

  /** `dictionary[word]` on that object: an inherited name answers what an object inherits. */
  get(word) {
    return this.rank(word) || (INHERITED.has(word) ? PLAIN[word] : undefined);
  }
}

module.exports = { RankedWords, RANK_DIGITS };
