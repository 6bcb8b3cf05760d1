// Agent skills served over MCP (SEP-2640): each skill is a SKILL.md with its files, read as
// skill://<name>/<path> resources. Here in memory (it works on Workers too); `directory` reads a folder.
import { MCPServer } from "http-mcp";
import { skills } from "http-mcp/skills";

const releaseNotes = {
  name: "release-notes",
  files: {
    "SKILL.md": [
      "---",
      "name: release-notes",
      "description: Write release notes from merged pull requests, in this team's format.",
      "---",
      "",
      "# Release notes",
      "Group changes by area; follow templates/entry.md for each one.",
    ].join("\n"),
    "templates/entry.md": "- **<area>**: <what changed> (#<pull request>)\n",
  },
};

export const server = new MCPServer({
  name: "team-skills",
  version: "1.0.0",
  // Or skills({ directory: "./skills" }): one subfolder per skill, named like its `name`.
  extensions: [skills({ skills: [releaseNotes] })],
});
