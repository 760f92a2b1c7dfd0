// The op language's bytes (harness/program.h): one table for every build, and the
// mutator's dropping of the ops a build cannot run, which must leave every other op as
// it decoded.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "program.h"

namespace zmcheck {
namespace {

bool not_usable_family(OpKind kind) {
  return kind != OpKind::free_usable && kind != OpKind::malloc_usable && kind != OpKind::realloc_usable &&
         kind != OpKind::query;
}

Program kept(const Program &program, const OpFilter &keep) {
  Program out;
  for (const Op &op : program)
    if (keep(op.kind)) out.push_back(op);
  return out;
}

std::vector<uint8_t> random_bytes(std::mt19937 &rng) {
  std::vector<uint8_t> bytes(rng() % 200);
  for (uint8_t &b : bytes) b = static_cast<uint8_t>(rng());
  return bytes;
}

TEST(Codec, DroppingOpsLeavesTheOthersAsTheyDecoded) {
  std::mt19937 rng(7);
  for (const Dialect *dialect : all_dialects()) {
    Codec codec(*dialect);
    for (int round = 0; round < 3000; round++) {
      std::vector<uint8_t> bytes = random_bytes(rng);
      const Program before = codec.decode(bytes);
      std::vector<uint8_t> dropped = bytes;
      dropped.resize(codec.drop(dropped.data(), dropped.size(), not_usable_family));
      ASSERT_EQ(codec.decode(dropped), kept(before, not_usable_family))
          << dialect->name << " round " << round << "\n" << trace_text(before, *dialect);
    }
  }
}

TEST(Codec, DroppingNothingLeavesTheInputAlone) {
  std::mt19937 rng(11);
  Codec codec(*find_dialect("threads"));
  for (int round = 0; round < 500; round++) {
    std::vector<uint8_t> bytes = random_bytes(rng), same = bytes;
    EXPECT_EQ(codec.drop(same.data(), same.size(), [](OpKind) { return true; }), bytes.size());
    EXPECT_EQ(same, bytes);
  }
}

TEST(Codec, AnOpTheBuildSkipsIsDecodedAndMarkedNotRenumbered) {
  const Dialect &ops = *find_dialect("ops");
  const Program program{Op{.kind = OpKind::malloc, .slot = 0, .size = 8},
                        Op{.kind = OpKind::free_usable, .slot = 0}, Op{.kind = OpKind::check}};
  std::vector<uint8_t> bytes;
  std::string error;
  ASSERT_TRUE(Codec(ops).encode(program, &bytes, &error)) << error;
  EXPECT_EQ(Codec(ops).decode(bytes), program);
  const std::string text = trace_text(program, ops, [](OpKind kind) {
    return kind == OpKind::free_usable ? std::string("no zfree_usable()") : std::string();
  });
  EXPECT_NE(text.find("zfree_usable(s0, &u)  # skipped: no zfree_usable()\n"), std::string::npos) << text;
  Program parsed;
  std::string dialect;
  ASSERT_TRUE(parse_trace(text, &parsed, &dialect, &error)) << error;
  EXPECT_EQ(parsed, program);  // the annotation is a comment: the trace reads back the same
}

}  // namespace
}  // namespace zmcheck
