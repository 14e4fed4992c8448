#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Decrypts an ODK-encrypted submission with the openssl command line only: an implementation
# independent of the kiosk's (sync/form_crypto.cpp), following the ODK XForms encryption spec
# and what ODK Briefcase and Central do (RSA-OAEP SHA-256/MGF1-SHA-256, AES-256-CFB, PKCS#7
# padding, IV = MD5(instanceID || key) with byte i%16 bumped before file i).
#   odk_decrypt.sh PRIVATE.pem MANIFEST.xml ENCRYPTED_FILE OUT.xml
# Exits 1 with a message when anything does not check out (also a bad element signature).
set -euo pipefail
priv=$1 manifest=$2 enc=$3 out=$4
OAEP=(-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256)
hex() { od -An -v -tx1 | tr -d ' \n'; }
unhex() { local h=$1; printf '%b' "$(printf '%s' "$h" | sed 's/../\\x&/g')"; }
field() { sed -n "s|.*<$1>\([^<]*\)</$1>.*|\1|p" "$manifest"; }
attr() { sed -n "s|.*<data [^>]*$1=\"\([^\"]*\)\".*|\1|p" "$manifest"; }

wrapped=$(field base64EncryptedKey)
instance=$(field 'orx:instanceID')
signature=$(field base64EncryptedElementSignature)
form_id=$(attr id)
version=$(attr version)
[ -n "$wrapped" ] && [ -n "$instance" ] || { echo "odk_decrypt: manifest lacks key or instanceID" >&2; exit 1; }

key=$(printf '%s' "$wrapped" | openssl base64 -d -A | openssl pkeyutl -decrypt -inkey "$priv" "${OAEP[@]}" | hex)
[ ${#key} -eq 64 ] || { echo "odk_decrypt: the wrapped key is not 32 bytes" >&2; exit 1; }
seed=$({ printf '%s' "$instance"; unhex "$key"; } | openssl dgst -md5 -binary | hex)
# File 0: byte 0 of the seed plus one (mod 256).
first=$(( (16#${seed:0:2} + 1) & 255 ))
iv=$(printf '%02x' "$first")${seed:2}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
openssl enc -d -aes-256-cfb -K "$key" -iv "$iv" -in "$enc" -out "$tmp"
pad=$(tail -c1 "$tmp" | od -An -tu1 | tr -d ' ')
[ "$pad" -ge 1 ] && [ "$pad" -le 16 ] || { echo "odk_decrypt: bad padding ($pad)" >&2; exit 1; }
head -c -"$pad" "$tmp" > "$out"

source_text="$form_id"$'\n'
[ -n "$version" ] && source_text+="$version"$'\n'
source_text+="$wrapped"$'\n'"$instance"$'\n'"submission.xml::$(openssl dgst -md5 -r "$out" | cut -d' ' -f1)"$'\n'
want=$(printf '%s' "$source_text" | openssl dgst -md5 -binary | hex)
got=$(printf '%s' "$signature" | openssl base64 -d -A | openssl pkeyutl -decrypt -inkey "$priv" "${OAEP[@]}" | hex)
[ "$want" = "$got" ] || { echo "odk_decrypt: element signature does not match" >&2; exit 1; }
