#!/usr/bin/env bash
# Builds dist/swtop_VERSION_ARCH.deb with dpkg-deb: swtop, swtop-exporter and swtop-run (release,
# --static-swift-stdlib), their man pages (swift-argument-parser's generate-manual plugin),
# bash, zsh and fish completions, the Prometheus alert rules, and the exporter's hardened
# systemd unit. Builds under the shared build lock when /tmp/swtop-build.lock exists (helpers'
# machines); set SWTOP_DEB_SKIP_BUILD=1 to package the release binaries already built.
set -euo pipefail
cd "$(dirname "$0")/.."

lock=()
[ -e /tmp/swtop-build.lock ] && lock=(flock /tmp/swtop-build.lock)

if [ -z "${SWTOP_DEB_SKIP_BUILD:-}" ]; then
  # SwiftPM may take a binary linked with other flags (a build without --static-swift-stdlib)
  # for up to date: removed, they are linked again (nothing is compiled again).
  # So may its cached build description (.build/release.yaml, written by a release build
  # without the flag): it is made again.
  rm -f .build/release/swtop .build/release/swtop-exporter .build/release/swtop-run .build/release.yaml
  "${lock[@]}" swift build -c release --static-swift-stdlib --product swtop
  "${lock[@]}" swift build -c release --static-swift-stdlib --product swtop-exporter
  "${lock[@]}" swift build -c release --static-swift-stdlib --product swtop-run
fi
bin=.build/release
for b in swtop swtop-exporter swtop-run; do [ -x "$bin/$b" ] || { echo "build-deb: no $bin/$b" >&2; exit 1; }; done

# The man pages: the plugin builds the package (debug, as swift test does: nothing to build
# again after the tests) and runs each executable's --experimental-dump-help.
# --configuration debug: the plugin's default, release, would build over the release binaries
# without --static-swift-stdlib.
"${lock[@]}" swift package --allow-writing-to-package-directory generate-manual --configuration debug >/dev/null
manuals=.build/plugins/GenerateManual/outputs
man_swtop=$(find "$manuals" -name swtop.1 | head -n 1)
man_exporter=$(find "$manuals" -name swtop-exporter.1 | head -n 1)
[ -s "$man_swtop" ] && [ -s "$man_exporter" ] || { echo "build-deb: generate-manual wrote no swtop.1 / swtop-exporter.1" >&2; exit 1; }

# The number `swtop --version` prints (Sources/swtop/Version.swift), plus the commit.
number=$(sed -n 's/.*static let number = "\(.*\)".*/\1/p' Sources/swtop/Version.swift)
version=${SWTOP_VERSION:-${number:-0.1.0}+git$(git log -1 --format=%cd --date=format:%Y%m%d 2>/dev/null || echo 0).$(git rev-list --count HEAD 2>/dev/null || echo 0).$(git log -1 --format=%h 2>/dev/null || echo 0)}
arch=$(dpkg --print-architecture)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
pkg="$root/swtop"

install -D -m 0755 "$bin/swtop" "$pkg/usr/bin/swtop"
install -D -m 0755 "$bin/swtop-exporter" "$pkg/usr/bin/swtop-exporter"
# `swtop run` execs it from swtop's own directory.
install -D -m 0755 "$bin/swtop-run" "$pkg/usr/bin/swtop-run"
strip --strip-unneeded "$pkg/usr/bin/swtop" "$pkg/usr/bin/swtop-exporter" "$pkg/usr/bin/swtop-run" 2>/dev/null || true
install -D -m 0644 "$man_swtop" "$pkg/usr/share/man/man1/swtop.1"
install -D -m 0644 "$man_exporter" "$pkg/usr/share/man/man1/swtop-exporter.1"
gzip -9n "$pkg/usr/share/man/man1/"*.1
# Where each shell looks for completions of a command by its name.
mkdir -p "$pkg/usr/share/bash-completion/completions" "$pkg/usr/share/zsh/vendor-completions" "$pkg/usr/share/fish/vendor_completions.d"
"$bin/swtop" --generate-completion-script bash > "$pkg/usr/share/bash-completion/completions/swtop"
"$bin/swtop" --generate-completion-script zsh > "$pkg/usr/share/zsh/vendor-completions/_swtop"
"$bin/swtop" --generate-completion-script fish > "$pkg/usr/share/fish/vendor_completions.d/swtop.fish"
"$bin/swtop-exporter" --generate-completion-script bash > "$pkg/usr/share/bash-completion/completions/swtop-exporter"
"$bin/swtop-exporter" --generate-completion-script zsh > "$pkg/usr/share/zsh/vendor-completions/_swtop-exporter"
"$bin/swtop-exporter" --generate-completion-script fish > "$pkg/usr/share/fish/vendor_completions.d/swtop-exporter.fish"
install -D -m 0644 Monitoring/swtop-rules.yml "$pkg/usr/share/swtop/prometheus/swtop-rules.yml"
install -D -m 0644 Monitoring/swtop-rules.test.yml "$pkg/usr/share/swtop/prometheus/swtop-rules.test.yml"
install -D -m 0644 Packaging/swtop-exporter.service "$pkg/lib/systemd/system/swtop-exporter.service"
install -D -m 0644 Packaging/swtop-exporter.default "$pkg/etc/default/swtop-exporter"
install -D -m 0644 Packaging/swtop-recorder.service "$pkg/lib/systemd/system/swtop-recorder.service"
install -D -m 0644 Packaging/swtop-recorder.default "$pkg/etc/default/swtop-recorder"
install -D -m 0644 README.md "$pkg/usr/share/doc/swtop/README.md"
# The README links to docs/ by relative paths: they resolve beside it.
for page in docs/*.md; do install -D -m 0644 "$page" "$pkg/usr/share/doc/swtop/$page"; done

dynamic=$(readelf -d "$pkg/usr/bin/swtop" "$pkg/usr/bin/swtop-exporter")
# The packages of the shared libraries the binaries load (glibc, ncurses; libstdc++ where the
# release link could not make it static).
depends=$(
  for lib in $(echo "$dynamic" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | sort -u); do
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
    [ -n "$path" ] || continue
    # Debian's merged /usr: the package may own the path by /lib or by /usr/lib.
    { dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "/usr$path" 2>/dev/null || true; } | cut -d: -f1 | head -n 1
  done | sort -u | paste -sd, | sed 's/,/, /g'
)
# Only glibc and ncurses are expected: a libswift*.so here means the Swift runtime was not
# linked statically.
if echo "$dynamic" | grep 'Shared library: \[libswift' >/dev/null; then
  echo "build-deb: the binaries load the Swift runtime as shared libraries (build with --static-swift-stdlib)" >&2
  exit 1
fi
glibc=$(dpkg-query -W -f='${Version}' libc6 | sed 's/-.*//')
depends=$(echo "$depends" | sed "s/\blibc6\b/libc6 (>= $glibc)/")

mkdir -p "$pkg/DEBIAN"
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: swtop
Version: $version
Architecture: $arch
Maintainer: swtop developers <swtop@localhost>
Depends: $depends
Suggests: prometheus, prometheus-node-exporter
Section: admin
Priority: optional
Installed-Size: $(du -sk "$pkg" | cut -f1)
Description: htop-like process monitor for Linux servers, with a Prometheus exporter
 swtop shows processes as htop does, prints them as a table or JSON, acts on them
 through pidfds, and exports process groups as Prometheus metrics (swtop export,
 swtop-exporter), with alert rules for crash loops, OOM kills, zombies and
 groups that vanish.
CONTROL
printf '%s\n' /etc/default/swtop-exporter /etc/default/swtop-recorder > "$pkg/DEBIAN/conffiles"
# The recorder is enabled and started as any Debian daemon (what dh_installsystemd writes, with
# deb-systemd-helper, which remembers an admin's `systemctl disable` across upgrades); the
# exporter is installed, not enabled: systemctl enable --now swtop-exporter.
cat > "$pkg/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
unit=swtop-recorder.service
if [ "$1" = configure ] || [ "$1" = abort-upgrade ] || [ "$1" = abort-deconfigure ] || [ "$1" = abort-remove ]; then
    if command -v deb-systemd-helper >/dev/null 2>&1; then
        deb-systemd-helper unmask "$unit" >/dev/null || true
        if deb-systemd-helper --quiet was-enabled "$unit"; then
            deb-systemd-helper enable "$unit" >/dev/null || true
        else
            deb-systemd-helper update-state "$unit" >/dev/null || true
        fi
    fi
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload >/dev/null 2>&1 || true
        if command -v deb-systemd-invoke >/dev/null 2>&1; then
            deb-systemd-invoke restart "$unit" >/dev/null 2>&1 || true
        fi
    fi
fi
POSTINST
cat > "$pkg/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ] && command -v deb-systemd-invoke >/dev/null 2>&1; then
    deb-systemd-invoke stop swtop-recorder.service >/dev/null 2>&1 || true
fi
PRERM
cat > "$pkg/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
unit=swtop-recorder.service
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
if command -v deb-systemd-helper >/dev/null 2>&1; then
    if [ "$1" = remove ]; then deb-systemd-helper mask "$unit" >/dev/null || true; fi
    if [ "$1" = purge ]; then
        deb-systemd-helper purge "$unit" >/dev/null || true
        deb-systemd-helper unmask "$unit" >/dev/null || true
    fi
fi
# The recorded events go with a purge, as other daemons' logs do.
if [ "$1" = purge ]; then rm -rf /var/log/swtop; fi
POSTRM
chmod 0755 "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/prerm" "$pkg/DEBIAN/postrm"

mkdir -p dist
out="dist/swtop_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$pkg" "$out" >/dev/null
echo "$out"
