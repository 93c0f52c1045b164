"""Made-up people and firms for the demo systems and the tests' worlds: Chinese names, resident
identity numbers with their check character (GB 11643-1999), mobile and landline numbers, firm
names and unified social credit codes (GB 32100-2015, the organisation code's own check character
by GB 11714-1997). Every drawing function takes the `random.Random` to draw from, so a seed gives
the same people on every run; `resident_id` and `uscc` build a number from given parts."""

import random
from datetime import date, timedelta

from yizhan.identifiers import USCC_ALPHABET, resident_id_check_char, uscc_check_char

# The mainland's most common surnames, most common first.
SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
# Kaiping's own: 关, 司徒, 谭, 劳, 区 and 甄 are common in the Wuyi counties and rare elsewhere.
KAIPING_SURNAMES = ("关", "司徒", "谢", "周", "张", "吴", "梁", "胡", "许", "方", "黄", "李", "陈", "邓", "余", "谭",
                    "劳", "区", "冯", "甄", "何", "杨", "林", "郑")
GIVEN = "伟强明华丽芳敏杰文嘉俊浩婷燕玲志国东海荣锦秀英桂兰永健振宇思颖家乐宏达耀辉启洪"
# A firm's name: city, trade name, line of business.
TRADE_NAMES = ("华侨", "潭江", "碉楼", "赤坎", "长沙", "三埠", "月山", "水口", "苍城", "金鸡", "马冈", "百合", "翠山湖",
               "锦湖", "侨乡", "永泰", "恒昌", "宏基", "盈丰", "达利")
BUSINESSES = ("实业有限公司", "五金制品有限公司", "水暖器材有限公司", "建筑工程有限公司", "房地产开发有限公司",
              "贸易有限公司", "饮食服务有限公司", "电子科技有限公司", "纺织有限公司", "物流有限公司")
# GB 11714-1997 2.1.2: the organisation code's eight characters (0–9, and A–Z counting 10–35) are
# weighted 3, 7, 9, 10, 5, 8, 4, 2; the check character is 11 minus their sum mod 11, 10 written X.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def name_parts(rng: random.Random, surnames: tuple[str, ...] = SURNAMES) -> tuple[str, str]:
    """(surname, given name): a given name of one character or, twice as often, two."""
    return rng.choice(surnames), "".join(rng.choice(GIVEN) for _n in range(rng.choice((1, 2, 2))))


def person_name(rng: random.Random, surnames: tuple[str, ...] = SURNAMES) -> str:
    return "".join(name_parts(rng, surnames))


def birth_date(rng: random.Random, first: date, years: int) -> date:
    """A day in the `years` years from `first`."""
    return first + timedelta(days=rng.randrange(365 * years))


def resident_id(region: str, born: date, serial: int) -> str:
    """The resident ID number of someone registered in `region` (a GB/T 2260 county code), born on
    `born`, with sequence number `serial` (0–999; odd for men, even for women)."""
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first17 + resident_id_check_char(first17)


def random_resident_id(rng: random.Random, region: str, born: date, sex: str | None = None) -> str:
    """With `sex` ("M"/"F"), the serial's last digit agrees with it as GB 11643 has it (odd for men)."""
    serial = rng.randrange(1000)
    if sex is not None:
        serial = serial - serial % 2 + (1 if sex == "M" else 0)
    return resident_id(region, born, serial)


def mobile(rng: random.Random) -> str:
    return f"13{rng.randrange(10)}{rng.randrange(100000000):08d}"


def landline(rng: random.Random, area: str = "0750") -> str:
    return f"{area}-2{rng.randrange(1000000):06d}"


def phone(rng: random.Random, *, landline_share: float = 0.35, area: str = "0750") -> str:
    """A landline in `area` (about `landline_share` of the time) or a mobile number."""
    return landline(rng, area) if rng.random() < landline_share else mobile(rng)


def firm_name(rng: random.Random, city: str = "开平市") -> str:
    return f"{city}{rng.choice(TRADE_NAMES)}{rng.choice(BUSINESSES)}"


def uscc(region: str, organisation: str, *, registrar: str = "91") -> str:
    """The unified social credit code of the organisation `organisation` (its nine-character code)
    registered in `region`; `registrar` 91 is a company registered with market regulation."""
    first17 = f"{registrar}{region}{organisation}"
    return first17 + uscc_check_char(first17)


def organisation_code(body: str) -> str:
    """`body` (eight characters) with its GB 11714 check character."""
    check = 11 - sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return body + ("0" if check == 11 else "X" if check == 10 else str(check))


def random_uscc(rng: random.Random, region: str) -> str:
    """A company's code in `region`, its organisation code drawn from the USCC alphabet."""
    return uscc(region, organisation_code("".join(rng.choice(USCC_ALPHABET) for _n in range(8))))
