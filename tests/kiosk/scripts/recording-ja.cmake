# SPDX-License-Identifier: GPL-3.0-or-later
# kiosk.recording_ja: the real kiosk plays a pack's recording through SDL audio.
# Arguments: -DMODE=setup|check -DWORK=scratch folder
#   setup: -DPACK=demo pack folder -DWAV=recording; copies PACK to WORK/pack and adds WAV as
#          the Japanese recording of the first interview question (audio/ja/MESSAGE-ID.wav),
#          and removes a stale WORK/out.raw.
#   check: WORK/out.raw (what SDL's disk audio driver wrote while the kiosk ran) exists and
#          holds sound, not only silence.
# The recording (tests/data/recordings/tone-440hz-8k-mono16.wav) is a 0.3 s 440 Hz sine,
# 8000 Hz mono signed 16-bit PCM, amplitude 8000, made once with Python's wave module.
cmake_minimum_required(VERSION 3.20)  # list() keeps empty elements (CMP0007)
set(MESSAGE_ID q.card_expiry.text)  # questions.yaml: the first question of every check
set(RAW ${WORK}/out.raw)

if(MODE STREQUAL "setup")
  file(REMOVE_RECURSE ${WORK})
  file(MAKE_DIRECTORY ${WORK})
  file(COPY ${PACK}/ DESTINATION ${WORK}/pack)
  file(READ ${WORK}/pack/questions.yaml questions)
  string(FIND "${questions}" "text: ${MESSAGE_ID}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${PACK}/questions.yaml no longer asks ${MESSAGE_ID}: update this script")
  endif()
  file(MAKE_DIRECTORY ${WORK}/pack/audio/ja)
  file(COPY_FILE ${WAV} ${WORK}/pack/audio/ja/${MESSAGE_ID}.wav)
elseif(MODE STREQUAL "check")
  if(NOT EXISTS ${RAW})
    message(FATAL_ERROR "${RAW} does not exist: the kiosk opened no audio device")
  endif()
  file(SIZE ${RAW} bytes)
  # The driver writes signed 16-bit little-endian samples; silence is all zero bytes. Only
  # the start is read: the device opens when the recording is queued, so it comes first.
  file(READ ${RAW} head LIMIT 400000 HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f][0-9a-f][0-9a-f])" "\\1;" samples "${head}")
  # Loud: the high byte is neither 00 nor ff, so |sample| >= 256.
  list(FILTER samples EXCLUDE REGEX "^..(00|ff)$")
  list(FILTER samples INCLUDE REGEX "^....$")
  list(LENGTH samples loud)
  message(STATUS "${RAW}: ${bytes} bytes, ${loud} samples with |x| >= 256 at its start")
  # 0.3 s at the kiosk's 22050 Hz is 6615 samples, of which a sine of amplitude 8000 has
  # ~98% loud. SDL 2.26's converter (platform/audio_sdl.cpp decode_wav) drops the last 512
  # source frames when it resamples (64 ms at 8 kHz): 5098 loud samples are written. 4500
  # (0.2 s) proves the recording played; a stray buffer of noise would be below 1024.
  if(loud LESS 4500)
    message(FATAL_ERROR "${RAW} holds no recording (${loud} loud samples, expected about 5100)")
  endif()
else()
  message(FATAL_ERROR "MODE must be setup or check")
endif()
