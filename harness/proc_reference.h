// A second implementation of the /proc grammar of src/proc_parse.h, written another way
// (string views, splitting, std::from_chars), for fuzz_proc_reference to compare with.
#ifndef ZMCHECK_PROC_REFERENCE_H
#define ZMCHECK_PROC_REFERENCE_H

#include <cstddef>
#include <optional>
#include <string_view>

namespace zmcheck {

std::optional<long long> reference_stat_rss_pages(std::string_view text);
size_t reference_smaps_field_bytes(std::string_view text, std::string_view field);

}  // namespace zmcheck

#endif
