// The one binary: `xianfeng <verb>`. Each verb opens the database named by
// --db, does its work through the same modules the server uses, and exits
// non-zero with a message in the operator's language on failure.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "app/app.h"
#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App cli{"先锋 Xianfeng — 创先争优 campaign platform"};
  cli.require_subcommand(1);
  xf::app::register_commands(cli);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  return xf::app::exit_code();
}
