"""Tools for AI agents: a Model Context Protocol server over the task repositories (docs/mcp.md)."""

from src.agent_tools.server import McpRoute, serving

PATH = "/mcp"

__all__ = ["PATH", "McpRoute", "serving"]
