#pragma once
#include <CLI/CLI.hpp>

namespace xf::app {

// Adds every verb (serve, init, migrate, demo, import, export, user,
// verify-audit) with its options and --help to `cli`.
void register_commands(CLI::App& cli);
// What the verb that ran wants the process to exit with.
int exit_code();

}  // namespace xf::app
