"""What every page's menu needs: `menu` (dashboard.worklist.Menu), read only if the page shows the menu."""

from dieuhanh.dashboard.worklist import Menu


def menu(request) -> dict:
    return {"menu": Menu(request.user)}
