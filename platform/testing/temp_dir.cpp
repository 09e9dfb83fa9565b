#include "platform/testing/temp_dir.h"

#include <cstdlib>
#include <stdexcept>
#include <system_error>

namespace xf::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "xf-test-XXXXXX").string();
  // A test cannot run without its folder; throwing fails that test loudly.
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace xf::testing
