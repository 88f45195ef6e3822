/* Terres rares: makes the visible sidebar buttons work (pydata-sphinx-theme 0.17.1 with
 * sphinx-book-theme 1.3.0; upstream pydata-sphinx-theme #2451, sphinx-book-theme #988).
 *
 * The themes bind their handlers to the FIRST .primary-toggle and .secondary-toggle of the page
 * (document.querySelector), which are the buttons of pydata's own header, hidden under
 * sphinx-book-theme. The reader sees and clicks the copies in the article header, which do
 * nothing. This forwards a click on any other toggle to the bound one, so each theme does what
 * it does for its own button: on a wide screen sphinx-book-theme collapses or shows the chapter
 * list, on a narrow one pydata opens it (or the page outline) in a drawer.
 * Loaded with defer on every page; remove it once the pinned themes fix the bug. */
(function () {
  "use strict";
  for (const kind of ["primary-toggle", "secondary-toggle"]) {
    const bound = document.querySelector("." + kind);
    if (!bound) continue;
    for (const button of document.querySelectorAll("." + kind)) {
      if (button === bound) continue;
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        button.blur();
        bound.click();
      });
    }
  }
})();

/* The chapter list opens at its top unless the page's entry would then be off-screen: the theme
 * scrolls it whenever that entry is below half the window (1366 x 768: every page from chapter 3).
 * Runs before the theme's scroll and stores the one it restores (0, the last page's, or the
 * entry a quarter down). */
(function () {
  "use strict";
  const sidebar = document.querySelector("div.bd-sidebar");
  const links = sidebar ? sidebar.querySelectorAll(".bd-docs-nav .active") : [];
  if (!links.length) return;
  const box = links[links.length - 1].getBoundingClientRect();
  const top = box.top - sidebar.getBoundingClientRect().top + sidebar.scrollTop;
  const room = sidebar.clientHeight - 48; // a margin for the fonts and icons still to come
  const stored = parseInt(sessionStorage.getItem("sidebar-scroll-top"), 10);
  let scroll = top + box.height <= room ? 0 : Math.round(top - sidebar.clientHeight / 4);
  if (scroll && stored >= 0 && top >= stored && top + box.height <= stored + room) scroll = stored;
  sessionStorage.setItem("sidebar-scroll-top", String(scroll));
})();
