"""Single sign-on settings (the `[auth]` and `[riverboard.sso]` sections of .streamlit/secrets.toml): read and
checked at start, each mistake said in Chinese naming the setting; defaults that work with a standard OpenID
Connect provider as it comes; and the user's claims completed from the provider's userinfo answer when the ID
token leaves them out. No Streamlit here: server.py and ui/auth.py call it.

docs/ACCOUNTS.md ("Single sign-on") lists what to register at the provider and every setting."""
from __future__ import annotations

import copy
import hashlib
import logging
import re
import tomllib
from pathlib import Path

from riverchief import access
from riverchief.settings import SettingsError

AUTH_KEYS = ("redirect_uri", "cookie_secret")  # in [auth] itself
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")  # in [auth] or in each [auth.<name>]
DEFAULT_SCOPE = "openid email profile"
GROUPS_SCOPE = "groups"  # asked for too when groups are mapped: the scope that carries a groups claim
USERNAME_CLAIMS = ("email", "preferred_username", "sub")
log = logging.getLogger("riverboard")


class SecretsError(SettingsError):
    """.streamlit/secrets.toml cannot be read: the app does not start (a silent fallback to local passwords and
    to SQLite would be worse)."""


def read_secrets(paths: list[str | Path]) -> dict:
    """The secrets files Streamlit reads, in its order (later top-level sections win), or SecretsError naming
    the file and line of a syntax error."""
    merged: dict = {}
    for path in map(Path, paths):
        if not path.is_file():
            continue
        try:
            merged |= tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            where = re.search(r"line (\d+), column (\d+)", str(exc))
            at = f"第{where[1]}行第{where[2]}列" if where else ""
            raise SecretsError(f"{path} {at}写法有误。统一身份认证和数据库设置都在这个文件里，不能当它不存在："
                               "请改正后再启动。", str(exc)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SecretsError(f"{path} 无法读取。河长看板未启动，请检查文件后再启动。", str(exc)) from None
    return merged


def providers(auth: dict) -> dict[str, dict]:
    """The provider sections: [auth.<name>] tables with a client_id, else [auth] itself as 'default'."""
    named = {k: v for k, v in auth.items() if isinstance(v, dict) and k != "client_kwargs"}
    return named or {"default": auth}


def role_problem(where: str, key: str, rule, units: set[str] | None) -> str | None:
    role, _, unit = str(rule).partition(":")
    if role not in access.ROLES:
        hint = f"（应写作 {role.lower()}，小写）" if role.lower() in access.ROLES else ""
        return (f"[{where}] “{key}” = “{rule}”：角色应为 {'、'.join(r for r in access.ROLES if r != access.UNIT)} "
                f"之一，或 unit:<单位编号>{hint}")
    if role == access.UNIT and not unit:
        return f"[{where}] “{key}” = “{rule}”：责任单位须写明单位编号，如 unit:D01"
    if role != access.UNIT and unit:
        return f"[{where}] “{key}” = “{rule}”：只有 unit 后面跟单位编号"
    if role == access.UNIT and units is not None and unit not in units:
        return f"[{where}] “{key}” = “{rule}”：单位编号 {unit} 不在本区单位名录中（“账号管理”页的“本区单位编号”可查）"
    return None


def problems(secrets: dict, units: set[str] | None = None) -> list[str]:
    """Every mistake in the sign-on settings, in Chinese, each naming its setting (empty: none, or no SSO)."""
    if not secrets.get("auth"):
        return []
    return auth_problems(secrets["auth"]) + mapping_problems((secrets.get("riverboard") or {}).get("sso") or {}, units)


def auth_problems(auth) -> list[str]:
    """Mistakes in [auth]: with any of them nobody can sign in."""
    if not isinstance(auth, dict):
        return ["[auth] 应是一个表（[auth] 下写 redirect_uri、cookie_secret、client_id 等）"]
    said = [f"[auth] 缺少 {key}" + ("（任意一串至少32位的随机字符，用于签名登录状态）" if key == "cookie_secret" else "")
            for key in AUTH_KEYS if not str(auth.get(key) or "").strip()]
    redirect = str(auth.get("redirect_uri") or "")
    if redirect and not re.match(r"^https?://[^/]+(/[^?#]*)?/oauth2callback$", redirect):
        said.append(f"[auth] redirect_uri = “{redirect}”：应为 本系统地址 + /oauth2callback，"
                    "如 https://hzkb.example.gov.cn/oauth2callback（在认证服务中登记同一地址）")
    for name, section in providers(auth).items():
        where = "auth" if name == "default" else f"auth.{name}"
        said += [f"[{where}] 缺少 {key}" for key in PROVIDER_KEYS if not str(section.get(key) or "").strip()]
        kwargs = section.get("client_kwargs", auth.get("client_kwargs", {}))
        if not isinstance(kwargs, dict):
            said.append(f"[{where}] client_kwargs 应写作 {{ scope = \"…\", prompt = \"\" }}")
        elif "openid" not in str(kwargs.get("scope", DEFAULT_SCOPE)).split():
            said.append(f"[{where}] client_kwargs.scope 须包含 openid")
    return said


def mapping_problems(mapping: dict, units: set[str] | None = None) -> list[str]:
    """Mistakes in [riverboard.sso]: the users or groups they name are refused at login, saying why."""
    said = []
    for part in ("users", "groups"):
        for key, rule in (mapping.get(part) or {}).items():
            problem = role_problem(f"riverboard.sso.{part}", key, rule, units)
            if problem:
                said.append(problem)
    claims_from = mapping.get("claims_from", "auto")
    if claims_from not in ("auto", "id_token", "userinfo"):
        said.append(f"[riverboard.sso] claims_from = “{claims_from}”：应为 auto、id_token 或 userinfo")
    return said


def with_defaults(auth: dict, mapping: dict | None = None) -> dict:
    """[auth] as Streamlit gets it: `prompt` empty unless set (Streamlit would send select_account, which many
    providers refuse), the scope (with groups when groups are mapped) unless set, and the access token kept
    for the userinfo call."""
    auth = copy.deepcopy(auth)
    scope = DEFAULT_SCOPE + (f" {GROUPS_SCOPE}" if (mapping or {}).get("groups") else "")
    for section in providers(auth).values():
        kwargs = section.setdefault("client_kwargs", {})
        if isinstance(kwargs, dict):
            kwargs.setdefault("prompt", "")
            kwargs.setdefault("scope", scope)
    exposed = auth.get("expose_tokens") or []
    exposed = [exposed] if isinstance(exposed, str) else list(exposed)
    auth["expose_tokens"] = sorted(set(exposed) | {"access"})
    return auth


def username(claims: dict) -> str:
    return next((str(claims[c]).strip() for c in USERNAME_CLAIMS if str(claims.get(c) or "").strip()), "")


def groups(claims: dict, claim: str = "groups") -> list[str]:
    found = claims.get(claim) or []
    return [found] if isinstance(found, str) else [str(g) for g in found]


def needs_userinfo(claims: dict, mapping: dict) -> bool:
    """Whether the provider's userinfo answer must be asked: always with claims_from = userinfo; with auto (the
    default) when the ID token lacks a name to sign in by or, with groups mapped, the groups."""
    how = mapping.get("claims_from", "auto")
    if how == "userinfo":
        return True
    if how == "id_token":
        return False
    no_name = not any(str(claims.get(c) or "").strip() for c in ("email", "preferred_username"))
    return no_name or bool(mapping.get("groups")) and mapping.get("groups_claim", "groups") not in claims


def userinfo(metadata_url: str, access_token: str | None, timeout: float = 5) -> dict:
    """The provider's userinfo answer for this login ({} when it cannot be had: said in the log)."""
    import httpx

    if not access_token:
        log.warning("single sign-on: no access token to ask the provider's userinfo (claims from the ID token only)")
        return {}
    try:
        metadata = httpx.get(metadata_url, timeout=timeout).raise_for_status().json()
        endpoint = metadata.get("userinfo_endpoint")
        if not endpoint:
            return {}
        answer = httpx.get(endpoint, headers={"Authorization": f"Bearer {access_token}"}, timeout=timeout)
        return answer.raise_for_status().json()
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("single sign-on: the provider's userinfo could not be read: %s", exc)
        return {}


def login_marker(claims: dict) -> str:
    """What makes one sign-on login: its ID token's issuer, subject, issue time and nonce (each login at the
    provider gives a new one; Streamlit's cookie, brought back later, gives the same)."""
    parts = [str(claims.get(k) or "") for k in ("iss", "sub", "iat", "nonce", "sid")]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


ERRORS = {  # what came back from the provider (or did not), said with the setting to look at
    "provider": "无法连接统一身份认证服务：请检查 .streamlit/secrets.toml 中 [auth] 的 server_metadata_url 是否正确、"
                "认证服务是否在运行，以及本服务器能否访问它（若改了设置，须重启河长看板）。",
    "token": "统一身份认证没有接受本系统的凭据：请核对 .streamlit/secrets.toml 中 [auth] 的 client_id 和 client_secret"
             "是否与认证服务中登记的一致（改正后重启河长看板），以及本服务器与认证服务的时钟是否一致。",
    "state": "登录没有回到发起它的地址：请从 [auth] 的 redirect_uri 所在的地址（同一域名或IP、同一端口）打开河长看板，"
             "再点“统一身份认证登录”；不要用浏览器的“后退”回到登录回调页。",
    "invalid_client": "统一身份认证不认识本系统：请核对 [auth] 的 client_id 和 client_secret。",
    "invalid_scope": "统一身份认证不接受所请求的范围：请在 [auth] 中设置 client_kwargs = { scope = \"openid email profile\" }"
                     "（去掉认证服务不支持的范围，如 groups）。",
    "invalid_request": "统一身份认证拒绝了登录请求：请核对 [auth] 的 redirect_uri 是否已在认证服务中登记，"
                       "以及 client_kwargs 的 prompt 设置。",
    "access_denied": "统一身份认证中取消了登录或未同意授权，请重新登录。",
    "login_required": "统一身份认证要求先登录：请在 [auth] 中设置 client_kwargs = { prompt = \"\" }。",
    "consent_required": "统一身份认证要求在认证服务中同意授权后再登录。",
}
OTHER_ERROR = "统一身份认证未能完成登录（{code}）：请把此信息告知系统管理员，并查看服务器日志。"


def error_code(text: str) -> str:
    """A provider's error as a code safe in a URL and a log line (letters and _ only)."""
    return re.sub(r"[^a-z_]", "", (text or "").lower())[:40] or "unknown"


def error_sentence(code: str) -> str:
    code = error_code(code)
    return ERRORS.get(code) or OTHER_ERROR.format(code=code)
