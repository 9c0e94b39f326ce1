// The JSON reports' text. JSON strings are UTF-8; a value that is not (a file
// name, a line of a scenario) has each invalid byte replaced by U+FFFD rather
// than failing the whole report (nlohmann's default throws).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace ptm {

inline std::string json_text(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ptm
