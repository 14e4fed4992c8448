// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the generated pack at 1x, 3x or 10x the demo pack's size (bench/core/big_pack.h)
// to a folder, for the kiosk to start on (bench/core/run_scale.sh):
//   big_pack_gen SCALE DIR
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "bench/core/big_pack.h"

int main(int argc, char** argv) {
  if (argc != 3 || std::atoi(argv[1]) < 1) {
    std::fprintf(stderr, "usage: big_pack_gen SCALE DIR (SCALE: 1, 3, 10, ...)\n");
    return 2;
  }
  namespace fs = std::filesystem;
  const fs::path dir = argv[2];
  for (const auto& [path, text] : kiosk::bench::make_pack_at(std::atoi(argv[1]))) {
    fs::create_directories((dir / path).parent_path());
    std::ofstream out(dir / path, std::ios::binary);
    out << text;
    if (!out) {
      std::fprintf(stderr, "big_pack_gen: cannot write %s\n", (dir / path).c_str());
      return 1;
    }
  }
  return 0;
}
