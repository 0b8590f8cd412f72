#!/usr/bin/env bash
# Installs everything the tests need, only what is missing:
# Debian packages (LibreOffice for formula recalculation and PDF, a CJK font,
# poppler for PDF checks, dovecot as the loopback IMAP server) and the Python package with its test extra.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(libreoffice-calc-nogui libreoffice-writer-nogui fonts-wqy-zenhei poppler-utils dovecot-imapd)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装系统软件包：${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # dovecot's postinst must not start a system service: the tests start their own on loopback
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if [ -n "$own_policy" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
fi

python3 -m pip install -q --disable-pip-version-check -e ".[test]"
