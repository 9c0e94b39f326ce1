// ptmodel: the command (cli/commands.hpp).
#include "cli/commands.hpp"

int main(int argc, char** argv) { return ptmodel_command(argc, argv); }
