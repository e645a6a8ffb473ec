#!/bin/sh
# etc/install-conf.sh SAMPLE DIR: installs SAMPLE as DIR/pinholed.conf
# (under DESTDIR) unless a configuration is already there, which is kept;
# meson runs it at install.
set -eu
dest="${DESTDIR:-}$2"
mkdir -p "$dest"
if [ -e "$dest/pinholed.conf" ]; then
	echo "Keeping $dest/pinholed.conf (the sample is $1)"
else
	install -m 644 "$1" "$dest/pinholed.conf"
	echo "Installing $1 to $dest"
fi
