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
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv_bin=${VENV_BIN:-$root/.venv/bin}
work=$(mktemp -d "${TMPDIR:-/tmp}/terres-rares-reproducible.XXXXXX")
if [[ -z ${KEEP_BUILDS:-} ]]; then trap 'rm -rf "$work"' EXIT; else echo "builds kept in $work"; fi

# When the project's own _build/html came from a clean build (`make site` on an empty _build writes
# _build/.clean-build; any later build removes it), that site is build a and only build b runs.
# REPRODUCIBLE_TWICE=1 forces two builds in temporary folders.
builds_to_run=(a b)
site_a=$work/a/_build/html
if [[ -z ${REPRODUCIBLE_TWICE:-} && -f $root/_build/.clean-build && -f $root/_build/html/index.html ]]; then
  site_a=$root/_build/html
  builds_to_run=(b)
  echo "reproducible: build a is the clean build of make site ($(cat "$root/_build/.clean-build"))"
fi

start=$SECONDS
for build in "${builds_to_run[@]}"; do
  out=$work/$build
  mkdir -p "$out"
  if ! (cd "$out" && PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" "$venv_bin/jupyter-book" build "$root" \
          --builder html -W -n --keep-going --path-output "$out" >"$out/build.log" 2>&1); then
    tail -40 "$out/build.log" >&2
    echo "reproducible: clean build $build failed (log above)" >&2
    exit 2
  fi
  if [[ ! -d $out/_build/.jupyter_cache || ! -f $out/_build/html/index.html ]]; then
    echo "reproducible: build $build did not use its own cache or wrote no site in $out/_build" >&2
    exit 2
  fi
done
builds=$((SECONDS - start))

if (cd "$root" && "$venv_bin/python" -m tools.check_site compare "$site_a" "$work/b/_build/html"); then
  echo "reproducible: two clean builds give the same site ($builds s for ${#builds_to_run[@]} build(s) here)"
else
  echo "reproducible: two clean builds of unchanged sources differ (see above); KEEP_BUILDS=1 keeps them" >&2
  exit 1
fi
