#!/usr/bin/env bash
# On a GPU machine of the `device` tool, after scripts/gpu/pack.sh here: finds the NVIDIA OpenCL
# library (and stops at once without one), then times wgan's OpenCL device (bench gemm 1024³ and
# 4096³, E1 and E3 iterations) and, for the 10x goal, E3 on 2 of that machine's CPU threads.
# E3 runs on MNIST's files, which have Fashion-MNIST's shape: its speed does not depend on them.
# Everything goes to $OUT/gpu-bench.txt. WGAN_ICD names another OpenCL library to try this here
# (e.g. PoCL's), with WGAN_QUICK=1 to stop after one small product.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp}/gpu-bench.txt
exec > >(tee "$out") 2>&1
lib=${WGAN_ICD:-$( (ldconfig -p | grep -o '/[^ ]*libnvidia-opencl\.so\.1'; find / -xdev -name 'libnvidia-opencl.so.1' 2>/dev/null) | head -1)}
if [ -z "$lib" ]; then
  echo "measure.sh: no NVIDIA OpenCL library (libnvidia-opencl.so.1) on this machine: OpenCL cannot reach its GPU"
  exit 3
fi
echo "OpenCL library: $lib"
command -v nvidia-smi > /dev/null && nvidia-smi -L
dpkg -x .gpu/ocl-icd-libopencl1_*.deb .gpu/icd
export LD_LIBRARY_PATH=$PWD/.gpu/icd/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
mkdir -p .gpu/vendors && echo "$lib" > .gpu/vendors/wgan.icd
export OCL_ICD_VENDORS=$PWD/.gpu/vendors
tar -C .gpu -xJf .gpu/jre.tar.xz
wgan() { timeout 300 .gpu/jre/bin/java -jar .gpu/wgan-opencl.jar "$@" 2>&1 | grep -v '^WARNING: Using incubator'; }
wgan devices || exit 4
if [ "${WGAN_QUICK:-0}" = 1 ]; then
  wgan bench gemm --m 256 --n 256 --k 256 --device opencl --seconds 1
  exit
fi
wgan bench gemm --m 1024 --n 1024 --k 1024 --device opencl
wgan bench gemm --m 4096 --n 4096 --k 4096 --device opencl --seconds 10
wgan bench --preset e1 --iterations 10 --device opencl --data datasets/mnist
wgan bench --preset e3 --iterations 3 --device opencl --data datasets/mnist
wgan bench --preset e3 --iterations 2 --threads 2 --data datasets/mnist
