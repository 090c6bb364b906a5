"""The web page `reportgen serve` runs (app.py), over a workspace per browser session
(workspace.py)."""
