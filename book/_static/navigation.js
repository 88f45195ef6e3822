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

/* Terres rares: the chapter list opens at its top (the site's title and first chapters in view)
 * unless the page's own entry would then be off-screen. pydata-sphinx-theme 0.17.1 scrolls the
 * list so that the page's link sits a quarter down as soon as that link is lower than half the
 * window (or restores the scroll the previous page stored): at 1366 x 768 every page from the
 * third chapter down opened with the list scrolled and the site's title hidden. This runs before
 * the theme's scroll (deferred, earlier in the page) and stores the scroll the theme restores:
 * 0 when the entry shows at the top; else the previous page's if it shows the entry; else the
 * entry a quarter down. */
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
