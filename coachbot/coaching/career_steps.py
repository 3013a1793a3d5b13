"""Steps for people already in the job (toward senior or lead), and the steps every plan may end with."""
from __future__ import annotations

from .entry_steps import POST_SECONDARY, library_credential_step, diploma_route_step
from .pathway import first_number
from .steps import Draft, Step


def career_steps(d: Draft, target: str) -> list[Step]:
    """Toward senior or lead: the level's focus areas the person has not shown yet, then how to get noticed."""
    p, u = d.pathway, d.person
    levels = [target]
    if target == "lead" and u.years_in("library") < first_number(p.levels["senior"]["years"]):
        levels = ["senior", "lead"]  # the senior rung comes first
    steps: list[Step] = []
    for level in levels:
        item = p.levels[level]
        for focus in item["focus"]:
            if focus.get("skill") in d.shown:
                continue
            steps.append(d.step(f"{level}_{focus['id']}", focus["title"], [(focus["detail"], item)],
                                f"{item['name']}: typically {item['years']} of experience", "Your time only"))
    edu = u.education
    if not (edu and edu.library and edu.level in POST_SECONDARY):
        steps.append(library_credential_step(d) if edu and edu.level in POST_SECONDARY else diploma_route_step(d, True))
    learning = p.levels["continuing_education"]
    steps.append(d.step("continuing_education", learning["title"],
                        [(learning["detail"], learning), (p.levels["tuition"]["detail"], p.levels["tuition"])],
                        "Ongoing", "Varies; ask about tuition reimbursement"))
    if "ils" not in d.shown:
        steps.append(d.guide_step("software"))
    advancement = p.levels["advancement"]
    steps.append(d.step("advancement", advancement["title"], [(advancement["detail"], advancement),
                                                              *d.library_type_note()],
                        "Ongoing", "Your time only"))
    return steps


def specialization_step(d: Draft, always: bool) -> Step | None:
    """The specialization a goal names; or, when `always`, the emerging ones to choose from."""
    p, u = d.pathway, d.person
    benefits = p.data["specializations"]["benefits"]
    key = u.goal.specialization
    if key:
        item = p.specializations[key]
        return d.step("specialization", f"Build toward a specialization: {item['name']}",
                      [(item["detail"], item), (benefits["detail"], benefits)], "Ongoing", "Your time only")
    if not always:
        return None
    emerging = [v["name"] for k, v in p.specializations.items()
                if v["source"].startswith("specializations#")]
    overview = ["specializations#overview"]
    return d.step("specialization", "Choose a specialization to grow into",
                  [(f"The emerging specializations are: {', '.join(emerging)}.", overview),
                   (benefits["detail"], benefits)], "Ongoing", "Your time only")


def cataloging_step(d: Draft) -> Step | None:
    """The cataloging and metadata standards, for people aiming at technical work who have not shown them."""
    u = d.person
    technical = u.goal.technical or u.goal.specialization in d.pathway.data["planning"]["technical_specializations"]
    taught = u.education and u.education.library and u.education.level == "associate"
    if not technical or taught or "cataloging" in u.named_skills:
        return None
    skill = d.pathway.skill_by_id["cataloging"]
    return d.step("cataloging", "Master the cataloging and metadata standards: MARC21, RDA and Dublin Core",
                  [(skill.why, list(skill.sources))], "Alongside your other steps", "Your time only")


def grow_step(d: Draft, level: str) -> Step:
    """For a newcomer who aims higher: what the next rungs ask, once in the job."""
    item = d.pathway.levels[level]
    focus = "; ".join(f["title"].lower() for f in item["focus"][:2])
    return d.step(f"grow_{level}", f"Then grow toward {item['name']}",
                  [(f"{item['name']} roles typically come with {item['years']} of experience, "
                    f"and the focus areas include: {focus}.", item)],
                  f"Typically {item['years']} of experience", "Your time only")


def librarian_step(d: Draft) -> Step:
    item, tuition = d.pathway.levels["librarian"], d.pathway.levels["tuition"]
    edu = d.person.education
    if edu and edu.level == "master" and edu.library:  # they hold the degree librarian roles require
        return d.step("librarian", "Use your library master's degree for librarian roles",
                      [(item["detail"], item), ("You already hold that degree, so apply for librarian roles too.", [])],
                      "Now", "Your time only")
    return d.step("librarian", item["title"], [(item["detail"], item), (tuition["detail"], tuition)],
                  "After you gain LTA experience", "Not stated in the guide")


def salary_step(d: Draft, target: str) -> Step:
    p, u = d.pathway, d.person
    region = u.place.region if u.place else None
    sentences = []
    if u.place and (region is None or u.place.within):
        # Said plainly: the guide has no figures for the place itself; the nearest it has follow.
        area = u.place.label.split(",")[0].strip()
        nearest = f"the nearest it has are for {p.regions[region]['name']}" if region else "it gives US figures"
        plain = f"The guide has no pay figures for {area}; {nearest}."
        sentences.append((plain, []))
        d.note(plain)
    us_or_unknown = region in (None, "us") and not (u.place and region is None)
    if u.place and region is None:
        sentences.append((p.regions["elsewhere"]["salary"], p.regions["elsewhere"]))
    elif not us_or_unknown or target == "entry":  # the US range is entry-level pay: moot for a promotion
        item = p.regions[region or "us"]
        prefix = "" if region else "If you work in the United States: "
        sentences.append((prefix + item["salary"], item))
    if us_or_unknown:  # the guide gives pay by level for the US only
        level = p.levels[target]
        sentences.append((f"{level['name']} pay in the US: {level['pay']}.", [level["pay_source"]]))
    note = p.regions["location_note"]
    sentences.append((note["detail"], note))
    name = f" in {p.regions[region]['name']}" if region else ""
    if u.place and u.place.within and region:
        name = f" (nearest figures: {p.regions[region]['name']})"
    when = "Before you apply" if target == "entry" else "Before you talk about a promotion"
    return d.step("salary", f"Know the pay to expect{name}", sentences, when, "Your time only")
