#!/usr/bin/env bash
# Installs the Debian packages whose programs the tests use as independent peers, when missing.
# Needs root (apt-get) on a machine without them; otherwise says exactly what is missing.
set -euo pipefail

# program -> Debian package (keep in step with docs/testing.md)
declare -A NEEDED=(
  [ifdtool]=coreboot-utils
  [fmaptool]=coreboot-utils
  [flashrom]=flashrom
  [UEFIExtract]=uefitool-cli
  [curl]=curl
  [openssl]=openssl
  [tmux]=tmux
  [amtterm]=amtterm
  [vncsnapshot]=vncsnapshot
  [djpeg]=libjpeg-turbo-progs
  [qemu-system-x86_64]=qemu-system-x86 # Depends on seabios and ipxe-qemu (the NIC's PXE ROM)
  [qemu-img]=qemu-utils # the NBD server test reads vme's export with it
)

missing_programs=()
missing_packages=()
for prog in "${!NEEDED[@]}"; do
  if ! command -v "$prog" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$prog" ]; then
    missing_programs+=("$prog")
    pkg=${NEEDED[$prog]}
    [[ " ${missing_packages[*]:-} " == *" $pkg "* ]] || missing_packages+=("$pkg")
  fi
done

if [ ${#missing_packages[@]} -eq 0 ]; then
  echo "test dependencies: all present (${!NEEDED[*]})"
  exit 0
fi

echo "test dependencies: missing ${missing_programs[*]} (Debian packages: ${missing_packages[*]})"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "cannot install them: run as root on Debian: apt-get update && apt-get install -y ${missing_packages[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing_packages[@]}" >/dev/null
for prog in "${missing_programs[@]}"; do
  if ! command -v "$prog" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$prog" ]; then
    echo "still missing after install: $prog (package ${NEEDED[$prog]})" >&2
    exit 1
  fi
done
echo "test dependencies: installed ${missing_packages[*]}"
