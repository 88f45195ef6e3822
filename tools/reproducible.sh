#!/usr/bin/env bash
# `make reproducible`: two clean builds of the site give the same files (the clean build of `make site`
# and one more, or two in temporary folders) and are compared.
#
# Each build runs in its own temporary folder with `--path-output`, and with that folder as the
# working directory, so that the relative jupyter-cache path of _config.yml
# (execute.cache: _build/.jupyter_cache) resolves inside it: both builds start with an empty
# cache and execute every chapter. The project's own _build/ is left alone.
#
# Every file of the two _build/html is compared (pages, search index, objects.inv, images,
# static files, published notebooks); text files after replacing the ids that are random by
# design with numbered placeholders (tools/check_site.py RANDOM_IDS). Found by diffing two real
# clean builds (Nov. 2026):
#   - altair-viz-<32 hex>         Altair's HTML renderer, a uuid4 per chart output;
#   - scenario-explorer-<8 hex>   widgets/explorer_static.py, the explorer's root element;
#   - T_<5 hex>                   pandas Styler's table uuid (ids and <style> selectors);
#   - "id": "<8 hex>"             cell ids of _static/notebooks/*.ipynb (nbformat, on reading MyST);
#   - at 0x<address>>             Python's default repr in text/plain outputs of those notebooks.
# .buildinfo is not compared: it hashes a configuration that holds the absolute output folder.
# Nothing else varied: Altair's dataset names are content hashes, the Sphinx search index and
# objects.inv came out byte-identical, jupyter-cache's timestamps stay in its database.
# Exit status 1 on any other difference (printed as a unified diff), 2 if a build fails.
#
# Steps (`make test` runs them apart, so that build b runs beside make site's own clean build,
# each on a core of its own, and the tests run after both, alone):
#   tools/reproducible.sh              build what is missing and compare (`make reproducible`)
#   tools/reproducible.sh build DIR    one clean build in DIR (DIR/_build/html)
#   tools/reproducible.sh compare DIR  compare DIR's build with build a (the clean build of
#                                      make site, or one more in a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv_bin=${VENV_BIN:-$root/.venv/bin}
# the temporary folders this run made, removed at its end unless KEEP_BUILDS is set
made=()
trap '[[ ${#made[@]} -eq 0 || -n ${KEEP_BUILDS:-} ]] || rm -rf "${made[@]}"' EXIT

# One clean build in $1, with that folder as the working directory and its own empty cache.
build() {
  local out=$1
  mkdir -p "$out"
  if ! (cd "$out" && PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" "$venv_bin/jupyter-book" build "$root" \
          --builder html -W -n --keep-going --path-output "$out" >"$out/build.log" 2>&1); then
    tail -40 "$out/build.log" >&2
    echo "reproducible: clean build in $out failed (log above)" >&2
    exit 2
  fi
  if [[ ! -d $out/_build/.jupyter_cache || ! -f $out/_build/html/index.html ]]; then
    echo "reproducible: the build in $out did not use its own cache or wrote no site in $out/_build" >&2
    exit 2
  fi
}

# When the project's own _build/html came from a clean build (`make site` on an empty _build writes
# _build/.clean-build; any later build removes it), that site is build a; otherwise build a runs
# in a temporary folder. REPRODUCIBLE_TWICE=1 forces that.
compare() {
  local site_b=$1/_build/html site_a
  if [[ -z ${REPRODUCIBLE_TWICE:-} && -f $root/_build/.clean-build && -f $root/_build/html/index.html ]]; then
    site_a=$root/_build/html
    echo "reproducible: build a is the clean build of make site ($(cat "$root/_build/.clean-build"))"
  else
    local work_a
    work_a=$(mktemp -d "${TMPDIR:-/tmp}/terres-rares-reproducible-a.XXXXXX")
    made+=("$work_a")
    [[ -z ${KEEP_BUILDS:-} ]] || echo "build a kept in $work_a"
    local start=$SECONDS
    build "$work_a"
    echo "reproducible: build a built in a temporary folder ($((SECONDS - start)) s)"
    site_a=$work_a/_build/html
  fi
  if (cd "$root" && "$venv_bin/python" -m tools.check_site compare "$site_a" "$site_b"); then
    echo "reproducible: two clean builds give the same site"
  else
    echo "reproducible: two clean builds of unchanged sources differ (see above); KEEP_BUILDS=1 keeps them" >&2
    exit 1
  fi
}

case "${1:-all}" in
  build)
    start=$SECONDS
    build "${2:?usage: tools/reproducible.sh build DIR}"
    echo "reproducible: build b took $((SECONDS - start)) s"
    ;;
  compare)
    compare "${2:?usage: tools/reproducible.sh compare DIR}"
    ;;
  all)
    work=$(mktemp -d "${TMPDIR:-/tmp}/terres-rares-reproducible.XXXXXX")
    made+=("$work")
    [[ -z ${KEEP_BUILDS:-} ]] || echo "build b kept in $work"
    start=$SECONDS
    build "$work/b"
    echo "reproducible: build b took $((SECONDS - start)) s"
    compare "$work/b"
    ;;
  *)
    echo "usage: tools/reproducible.sh [build DIR | compare DIR]" >&2
    exit 2
    ;;
esac
