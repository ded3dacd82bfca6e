#!/usr/bin/env bash
# Packs what a GPU machine of the `device` tool needs to measure wgan's OpenCL device, into .gpu/
# (ignored by git): the OpenCL jar without the MNIST copy it carries (the working tree has one), a
# trimmed Java runtime (the GPU machines have no Java), and Debian's OpenCL ICD loader. Together
# with the working tree that is about 54 MB, under the tool's 64 MiB. Then, from the session:
#   run(command="bash scripts/gpu/measure.sh", carry=[".gpu"], timeout_s=540)
set -euo pipefail
cd "$(dirname "$0")/../.."
jdk=$(ls -d /usr/lib/jvm/*-2[1-9]-* /usr/lib/jvm/*-2[1-9] 2>/dev/null | head -1 || true)
[ -x "$jdk/bin/jlink" ] || { echo "pack.sh: needs a JDK 21 or newer under /usr/lib/jvm for jlink" >&2; exit 2; }
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
rm -rf .gpu && mkdir .gpu
mvn -q -P opencl -DskipTests package
cp target/opencl/wgan-opencl.jar .gpu/
zip -q -d .gpu/wgan-opencl.jar 'wgan/datasets/*'
# bench and devices need these modules: the Vector API, java.net.http (downloads), jdk.unsupported (Aparapi).
"$jdk/bin/jlink" --add-modules java.base,java.logging,java.net.http,jdk.incubator.vector,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --output .gpu/jre
tar -C .gpu -cJf .gpu/jre.tar.xz jre && rm -rf .gpu/jre
(cd .gpu && apt-get download -q ocl-icd-libopencl1 > /dev/null 2> apt.log) || { cat .gpu/apt.log >&2; exit 2; }
rm -f .gpu/apt.log
du -ch .gpu/* $(git ls-files) 2>/dev/null | tail -1 | sed 's/total/to carry, with the working tree/'
