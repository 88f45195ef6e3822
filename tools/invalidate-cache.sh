#!/usr/bin/env bash
# jupyter-cache hashes code cells only, and Sphinx does not notice changes in the local extension
# or the vendored files, and Sphinx 7.4 does not overwrite changed static files. When anything
# the chapters depend on changes (widgets/, data/, book/_static, the
# extension, the config, pinned versions), drop the notebook cache and the built HTML so that
# `make site` re-executes every chapter; an unchanged rebuild keeps both and stays fast.
set -euo pipefail
stamp=_build/.inputs.sha256
new=$(find widgets data book/_ext book/_static book/_templates book/images tools/vendor.py _config.yml _toc.yml requirements.txt package-lock.json \
        -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
old=$(cat "$stamp" 2>/dev/null || true)
if [[ "$new" != "$old" ]]; then
  [[ -n "$old" ]] && echo "Inputs of the chapters changed: re-executing every chapter."
  rm -rf _build/.jupyter_cache _build/html _build/.doctrees
  mkdir -p _build
  echo "$new" > "$stamp"
fi
