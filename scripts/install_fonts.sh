#!/usr/bin/env bash
# Best effort: a CJK font so charts can label Chinese dimension values. Charts still render without it.
set -u
if ls /usr/share/fonts/truetype/wqy/wqy-microhei.ttc >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei) >/dev/null 2>&1 \
    && echo "installed fonts-wqy-microhei" || echo "could not install a CJK font; Chinese chart labels may show as boxes"
fi
