/* Terres rares: two fixes to Sphinx's search page (loaded on search.html only, deferred, by
 * book/_templates/layout.html: it runs after searchtools.js and searchindex.js have run, and
 * before Search.init runs the query on DOMContentLoaded).
 *
 * 1. Snippets: Sphinx cuts a result's snippet from the text of the page's main block, which
 *    holds the theme's page buttons too (the download menu's ".md .pdf"), so a snippet could
 *    start with "….pdf Caremag". Those buttons are removed before the text is taken.
 * 2. Spellings: the book writes British "licence" (noun) and "license/licensing" (verb); a
 *    reader types either. The index holds the stems of words, so each stem of a group below
 *    is given the pages of every stem of its group: "license" finds what "licence" finds.
 */
(() => {
  "use strict";
  const NOT_TEXT = [".article-header-buttons", ".bd-header-article", ".headerlink"];
  const SAME_WORD = [["licenc", "licens"]]; // stems (Porter, as language_data.js makes them)

  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(NOT_TEXT.join(",")).forEach((el) => el.remove());
    return htmlToText(doc.documentElement.outerHTML, anchor);
  };

  const asList = (postings) =>
    postings === undefined ? [] : Array.isArray(postings) ? postings : [postings];
  const joinSpellings = (index) => {
    for (const table of [index.terms, index.titleterms]) {
      for (const group of SAME_WORD) {
        const pages = [...new Set(group.flatMap((stem) => asList(table[stem])))].sort((a, b) => a - b);
        if (pages.length) for (const stem of group) table[stem] = pages;
      }
    }
  };
  if (Search._index) joinSpellings(Search._index); // the usual case: searchindex.js has run
  const setIndex = Search.setIndex; // an index loaded later (Search.loadIndex)
  Search.setIndex = (index) => {
    joinSpellings(index);
    return setIndex(index);
  };
})();
