"""Synthetic committee minutes for retrieval benchmarks at scale.

Five sample meetings are easy to search. A municipality produces hundreds of meetings a year, and
98 municipalities discuss the same national programmes (IPS, STU, ressourceforløb, the expert
group's reform) with different numbers: "Godkendelse af dagsorden" exists a thousand times, and
"how much did Mariagerfjord get for IPS for unge?" has near-identical items from other
municipalities. This module writes such a corpus, deterministic per seed, in the text layouts of
the real samples (First Agenda and the Mariagerfjord, Lejre, Aabenraa and Vejle exports), so the
real parser reads it and retrieval must tell near-duplicates apart by municipality and date.

With `samples_dir`, about 15% of the items mirror a real sample item's topic (own templates
modelled on it) in other municipalities with other figures. The sample's municipality never hosts
its mirror, and the figures and dates the evaluation questions ask about are never drawn for that
municipality, so every real answer stays unique to its real file.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.danish.case_numbers import normalise_case_number
from assistant.danish.dates import DANISH_MONTHS, danish_date
from assistant.danish.municipalities import NAMES, ascii_fold

FIRST = (
    "Anne", "Mette", "Lars", "Jens", "Søren", "Hanne", "Peter", "Kirsten", "Michael", "Karen",
    "Henrik", "Lone", "Thomas", "Susanne", "Jesper", "Birgitte", "Martin", "Camilla", "Rasmus",
    "Louise", "Niels", "Pia", "Bo", "Helle", "Kim", "Dorte", "Jakob", "Tina", "Morten", "Line",
    "Anders", "Marianne", "Steen", "Ulla", "Frederik", "Ida", "Mads", "Sofie", "Jonas", "Lene",
)  # fmt: skip
MIDDLE = ("Lykke", "Juul", "Krogh", "Kjær", "Bach", "Skou")
LAST = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
    "Johansen", "Møller", "Mortensen", "Østergaard", "Knudsen", "Lauridsen", "Bech", "Skov",
    "Dahl", "Bruun", "Holm", "Winther", "Mikkelsen", "Frandsen", "Vestergaard", "Damgaard",
    "Lund", "Bang", "Friis", "Toft", "Iversen", "Overgaard", "Brandt", "Kirkegaard",
)  # fmt: skip
PARTIES = ("A", "B", "C", "F", "I", "O", "V", "Ø", "Å")
WEEKDAYS = ("Mandag", "Tirsdag", "Onsdag", "Torsdag")
ROLES = {
    "job": ("jobcenterchef", "afdelingsleder", "arbejdsmarkedschef", "teamleder", "chefkonsulent"),
    "other": ("afdelingsleder", "centerchef", "chefkonsulent", "fagchef", "direktør"),
}
FIRMS = (
    "Danish Crown", "Rema 1000", "Netto", "Føtex", "Arla Foods", "Bilka", "Kvickly", "Coop",
    "Salling Group", "Bygma", "Jysk", "DSV", "Elgiganten", "Lidl", "Stark",
)  # fmt: skip
REGIONS = ("Nordjylland", "Midtjylland", "Syddanmark", "Sjælland", "Hovedstaden")
FGU = ("FGU Vestsjælland", "FGU Midt-Nord", "FGU Trekanten", "FGU Østjylland", "FGU Sydfyn")
STREETS = (
    "Torvet", "Jernbanegade", "Skolegade", "Søndergade", "Nørregade", "Vestergade", "Kirkevej",
    "Stationsvej", "Rådhuspladsen", "Industrivej", "Havnegade", "Bygaden",
)  # fmt: skip
BENEFITS = (
    "sygedagpenge", "førtidspension", "fleksjob", "kontanthjælp", "STU", "ressourceforløb",
    "handicapkompenserende ordninger", "specialundervisning",
)  # fmt: skip
# Each municipality has its employment committee, Økonomiudvalget and two others.
COMMITTEES = {
    "job": (
        "Arbejdsmarkedsudvalget", "Beskæftigelsesudvalget", "Udvalget for Job og Arbejdsmarked",
        "Udvalget for Arbejdsmarked og Uddannelse", "Beskæftigelses- og Integrationsudvalget",
        "Job- og Arbejdsmarkedsudvalget", "Beskæftigelses- og Uddannelsesudvalget",
        "Udvalget for Job, Arbejdsmarked og Integration", "Erhvervs- og Beskæftigelsesudvalget",
    ),
    "okonomi": ("Økonomiudvalget",),
    "social": ("Social- og Sundhedsudvalget", "Socialudvalget", "Social- og Seniorudvalget"),
    "born": ("Børne- og Ungeudvalget", "Børne- og Skoleudvalget", "Udvalget for Børn og Unge"),
    "teknik": ("Teknik- og Miljøudvalget", "Plan- og Teknikudvalget"),
    "kultur": ("Kultur- og Fritidsudvalget", "Kultur- og Idrætsudvalget"),
}  # fmt: skip
KIND_WEIGHT = {"job": 5.0, "okonomi": 1.5, "social": 1.2, "born": 1.2, "teknik": 1.0, "kultur": 1.0}
# First Agenda's common export ("standard") and the four sample systems' layouts.
LAYOUTS = {"standard": 40, "mariagerfjord": 15, "lejre": 15, "aabenraa": 15, "vejle": 15}
HALLS = (
    "Byrådssalen, Rådhuset, {kom} Kommune", "{street} {no}, {kom} Kommune, mødelokale {n}",
    "Udvalgsværelse {n}, {kom} Kommune, {street} {no}",
)  # fmt: skip

# Figures and dates the evaluation questions ask about, per sample municipality: never drawn for
# it. The three amounts are so distinctive that no synthetic file prints them at all.
SAMPLE_FIGURES = {
    "Mariagerfjord": ("800", "149", "71", "75", "68", "59", "84", "54", "9", "22. juni"),
    "Lejre": ("149", "61", "21", "64", "62", "30. maj"),
    "Aabenraa": ("38", "60", "30", "15. oktober", "15. december"),
    "Vejle": ("70", "63", "11", "23. november"),
    "Næstved": ("146", "45", "3,25", "1,75", "9,4", "26. oktober"),
}
NEVER_DRAWN = ("1.609.500", "640.000", "950.000")
SAMPLE_PEOPLE = frozenset((
    "Per Kragelund", "Claus Behrendsen", "Jette Leth Buhl", "Vibeke Jensen", "Sarah Gaarde",
    "Ann Frederiksen", "Lasse Buchwald Mortensen", "Maja Kolstrup", "Janika Wiene",
    "Heidi Teichert",
))  # fmt: skip


@dataclass(frozen=True)
class Topic:
    """Templates for one kind of agenda item. Placeholders are filled per item (see _Values)."""

    key: str
    kinds: tuple[str, ...]  # committee kinds that put it on their agenda
    titles: tuple[str, ...]  # "o:" orientation, "g:" approval, "a:" recommendation, "d:" debate
    subject: str  # what the recommendation is about
    resume: tuple[str, ...]
    body: tuple[str, ...]  # sentences in reading order; an item uses a subset
    economy: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()  # a sub-heading, then list lines
    since: dt.date = dt.date(2019, 1, 1)  # the programme does not exist before
    avoid: str = ""  # mirrors a real item of this sample municipality, so is never hosted there
    kle: str = "15.00.00"


# One block per topic: "= key | committee kinds | since | mirrored sample municipality | KLE",
# then t (titles, each prefixed o:/g:/a:/d: for what the committee is asked), s (subject of the
# recommendation), r (resume), b (body sentence, in reading order), e (economy) and l (a list:
# sub-heading and lines). "|" separates titles and list lines; an indented line continues.
TEMPLATES = """
= ips | job social |  |  | 15.20.00
t o:Status på IPS-indsatsen i {kom} Kommune | d:Tema om udsathed - IPS-indsatsen | g:Forankring af
  IPS-indsatsen efter projektperioden | o:IPS for unge - status på projektet
s IPS-indsatsen
r IPS står for Individuelt Planlagt job med Støtte og er en evidensbaseret indsats for borgere med
  psykiske lidelser, som har en sag i Jobcenter {kom}.
r Udvalget får en status på IPS-indsatsen, som {kom} Kommune har arbejdet med siden {py}, og på
  samarbejdet med psykiatrien.
b Indsatsen bygger på et tæt samarbejde med behandlingspsykiatrien i Region {region}, hvor
  IPS-konsulenterne deltager i faste møder med de behandlende teams.
b Aktuelt er {n1_25_90} borgere tilknyttet indsatsen, og {n2_6_24} af dem har siden {earlier} fået
  ordinære timer eller er startet på en uddannelse.
b Hver IPS-konsulent har højst {n3_15_22} borgere ad gangen, så der er tid til en tæt og håndholdt
  opfølgning.
b Jobsøgningen starter hurtigt, og konsulenterne opsøger lokale virksomheder ud fra borgerens egne
  jobønsker.
b {name1}, {role1} i jobcentret, fortæller på mødet om et forløb hos {firm1}, hvor en borger er
  kommet i job på {n4_8_25} timer om ugen.
b Erfaringen er, at støtten skal fortsætte, efter borgeren er kommet i job, fordi de første måneder
  ofte er de mest sårbare.
b Der kommer fortsat for få henvisninger fra psykiatrien, og der arbejdes derfor på en fælles
  samarbejdsaftale.
e Indsatsen finansieres inden for jobcentrets ramme med ca. {k1_600_2400} kr. om året.
l IPS-principper | - Alle, der ønsker at arbejde, kan deltage | - Målet er ordinært job eller
  uddannelse | - Jobsøgningen starter hurtigt | - Støtten fortsætter, så længe der er behov
= stu | job born |  |  | 17.02.20
t o:Orientering om STU-området | o:Status på særlig tilrettelagt ungdomsuddannelse (STU) {y} | g:Ny
  praksis for visitation til STU
s STU-området
r En særlig tilrettelagt ungdomsuddannelse (STU) er et treårigt forløb for unge under 25 år med
  særlige behov, som ikke kan gennemføre en anden ungdomsuddannelse.
r Udgifterne til STU forventes i {y} at overstige budgettet med {k1_400_3500} kr., og udvalget
  orienteres om udviklingen og de igangsatte tiltag.
b Pr. {d1} er {n1_20_140} unge i gang med et STU-forløb, mod {n2_15_120} på samme tid sidste år.
b Den gennemsnitlige pris for et forløb er steget til ca. {k2_240_420} kr. om året, fordi flere
  unge har behov for særlig støtte.
b Målgruppen har ændret sig, så flere unge i dag søger STU på grund af angst, autisme eller
  langvarigt skolefravær.
b {kom} Kommune køber hovedsageligt forløb hos eksterne leverandører, og kun {n3_2_12} unge går i
  kommunens eget tilbud.
b Visitationen er strammet, så STU-udvalget altid vurderer, om FGU, praktik eller et mentorforløb
  kan være et alternativ.
b Ungevejledningen inddrages tidligere, så den unge og familien får en realistisk plan allerede i
  udskolingen.
b Der afholdes fremover to årlige statusmøder med leverandøren for at sikre progression i
  forløbene.
e Budgettet til STU er i {y} på {k3_3000_16000} kr.
= ressource | job social |  |  | 15.25.00
t o:Status på ressourceforløb og rehabiliteringsteamet | g:Ny praksis for opfølgning i
  ressourceforløb | o:Til- og afgang i ressourceforløb {py}-{y}
s ressourceforløbene
r Udvalget har bedt om en uddybning af til- og afgangen i ressourceforløb, som er en flerårig
  indsats for borgere med komplekse problemer ud over ledighed.
r Antallet af borgere i ressourceforløb er faldet gennem de seneste år, og udvalget får her en
  status på udviklingen i {kom} Kommune.
b Rehabiliteringsteamet har siden {earlier} behandlet {n1_40_260} sager, hvoraf {n2_10_90} førte
  til indstilling om ressourceforløb.
b I samme periode er der afsluttet {n3_20_120} ressourceforløb, primært til fleksjob,
  førtidspension og ordinære timer.
b Antallet af fuldtidspersoner i ressourceforløb er faldet med {p1_3_18} % siden {mon} {py},
  hvilket svarer til udviklingen i resten af landet.
b Alle borgere i ressourceforløb har en koordinerende sagsbehandler, og indsatsen tilrettelægges på
  tværs af beskæftigelse, sundhed og det sociale område.
b Administrationen vil bruge flere korte virksomhedspraktikker, så borgerne afprøver deres
  arbejdsevne tidligt i forløbet.
b Opgørelsen er lavet i fagsystemet og kan derfor ikke sammenlignes direkte med tallene på
  Jobindsats.dk.
l Afgang fordelt på årsag | - Fleksjob ({n4_5_40}) | - Førtidspension ({n5_5_40}) | - Job eller
  uddannelse ({n6_1_15}) | - Nyt ressourceforløb ({n7_1_12})
= jobafklaring | job |  |  | 15.26.00
t o:Status på jobafklaringsforløb | g:Styrket indsats for sygemeldte i jobafklaring |
  o:Jobafklaring og sygedagpenge - udvikling i {y}
s jobafklaringsområdet
r Jobafklaringsforløb gives til sygemeldte, som ikke længere kan få forlænget sygedagpengene, og
  som fortsat er uarbejdsdygtige.
r Udvalget får en status på jobafklaringsområdet i {kom} Kommune med fokus på varighed og afgang.
b Pr. {d1} var {n1_30_180} borgere i jobafklaring, hvilket er {n2_3_29} flere end ved sidste
  opgørelse.
b Den gennemsnitlige varighed af et forløb er {n3_30_70} uger, og {p1_20_45} % afsluttes til job
  eller raskmelding.
b Mange af borgerne har psykiske lidelser, og der er derfor indgået et samarbejde med {firm1} om
  korte praktikforløb.
b Rehabiliteringsteamet behandler alle sager inden for de første fire uger af forløbet.
b Administrationen vil afprøve en model, hvor en virksomhedskonsulent deltager i den første
  samtale.
b Udviklingen følger landstendensen, men {kom} Kommune har en lidt højere andel af lange forløb end
  sammenlignelige kommuner.
= sygedagpenge | job |  |  | 15.10.00
t o:Udviklingen på sygedagpengeområdet | d:Temadrøftelse om sygefravær og fastholdelse | o:Status
  på sygedagpenge {q}. kvartal {qy}
s sygedagpengeområdet
r Udvalget orienteres om udviklingen i antallet af sygedagpengeforløb og om jobcentrets indsats for
  at fastholde sygemeldte på arbejdsmarkedet.
r På baggrund af udvalgets ønske gives en uddybende status på sygedagpengeområdet i {kom} Kommune.
b I {earlier} var {n1_250_1900} fuldtidspersoner på sygedagpenge i {kom} Kommune.
b Andelen af forløb, der varer mere end 22 uger, er {p1_18_35} %, mod {p2_18_35} % på landsplan.
b Fastholdelseskonsulenterne har siden årsskiftet haft kontakt til {n2_40_220} virksomheder om
  sygemeldte medarbejdere.
b Flere delvise raskmeldinger er et af de vigtigste redskaber til at forkorte forløbene.
b Der er særligt fokus på sygemeldte med stress og angst, hvor der samarbejdes med egen læge og
  psykologer.
b Ventetiden på lægeerklæringer er fortsat en udfordring og forsinker en del afklaringer.
e Udgifterne til sygedagpenge forventes at blive {k1_4000_60000} kr. i {y}, hvilket er inden for
  budgettet.
= kvartalsbog | job |  |  | 15.00.00
t o:Kvartalsbog {mon} {y} | o:Nøgletal for beskæftigelsesområdet {q}. kvartal {qy} |
  o:Ledighedsudviklingen i {kom} Kommune
s kvartalsbogen
r Udvalget præsenteres hvert kvartal for en status på beskæftigelsesindsatsen, og i denne sag
  forelægges kvartalsbogen for {q}. kvartal {qy}.
r Sagen giver et overblik over ledighed, ydelsesmodtagere og rettidighed i Jobcenter {kom}.
b Ledigheden i {kom} Kommune var i {earlier} på {f1_15_48} % mod {f2_20_45} % på landsplan.
b Antallet af forsikrede ledige er faldet svagt, mens antallet af kontanthjælpsmodtagere er stort
  set uændret på {n1_300_2600} personer.
b {p1_80_97} % af de ledige har fået deres samtaler til tiden, og målet på 80 % er dermed opfyldt.
b Langtidsledigheden ligger på niveau med {py}, og der ses en lille stigning blandt de unge.
b Jobcentret har gennemført ca. {n2_400_2400} samtaler om måneden i kvartalet.
b Andelen af ydelsesmodtagere med ordinære løntimer er {p2_12_35} %, hvilket er over gennemsnittet
  for landsdelen.
l Nøgletal | - Forsikrede ledige: {n3_200_3500} | - Kontanthjælp og uddannelseshjælp: {n4_300_2600}
  | - Sygedagpenge: {n5_250_1900} | - Fleksjob: {n6_150_1600}
= ukraine | job okonomi | 2022-05-01 |  | 27.12.08
t o:Status på fordrevne fra Ukraine | o:Fordrevne fra Ukraine - status {mon} {y} | g:Midlertidige
  boliger til fordrevne fra Ukraine
s indsatsen for fordrevne fra Ukraine
r Udvalget får en status på modtagelsen af fordrevne fra Ukraine med ophold efter særloven og på
  deres vej til job og danskuddannelse.
r {kom} Kommune har siden foråret 2022 modtaget fordrevne fra Ukraine, og i denne sag gives en
  samlet status.
b Pr. {d1} er der {n1_40_700} fordrevne fra Ukraine med ophold efter særloven i {kom} Kommune.
b {p1_35_75} % af de fordrevne i den erhvervsaktive alder er i beskæftigelse, primært inden for
  hotel og restauration, rengøring, landbrug og industri.
b I alt {n2_20_220} er henvist til danskuddannelse.
b Siden sidste status er der påbegyndt {n3_5_60} virksomhedspraktikker og {n4_1_15} forløb med
  løntilskud.
b Kommunen har fortsat {n5_5_60} midlertidige boliger i drift, og behovet vurderes løbende.
b Særloven er forlænget, og administrationen forventer, at de fleste bliver i kommunen i de
  kommende år.
e Udgifterne til midlertidige boliger og integrationsydelse forventes at udgøre {k1_800_9000} kr. i
  {y}, som delvist dækkes af statslig refusion.
= integration | job social |  |  | 15.40.00
t o:Integrationsindsatsen - status {y} | g:Handleplan for flere flygtninge og familiesammenførte i
  job | g:Rådgivning og information om repatriering
s integrationsindsatsen
r Udvalget får en status på integrationsindsatsen i {kom} Kommune med fokus på beskæftigelse og
  danskuddannelse.
r Sagen beskriver, hvordan Jobcenter {kom} vil få flere flygtninge og familiesammenførte i ordinært
  job.
b I {earlier} modtog {n1_40_400} personer selvforsørgelses- og hjemrejseydelse eller
  overgangsydelse (SHO-ydelse).
b {p1_30_70} % af flygtningene, der har været i kommunen i tre år, er i job eller uddannelse.
b Der er oprettet {n2_3_40} forløb med integrationsgrunduddannelse (IGU) i samarbejde med lokale
  virksomheder.
b Borgerne screenes efter progressionstrappen, så indsatsen tilpasses den enkeltes afstand til
  arbejdsmarkedet.
b Sprogundervisningen kombineres med praktik, så borgerne lærer dansk på arbejdspladsen.
b Administrationen samarbejder med {firm1} om et brancheforløb inden for lager og logistik.
= ekspert | job okonomi social | 2024-07-01 |  | 15.00.00
t o:Ekspertgruppens anbefalinger til fremtidens beskæftigelsesindsats | d:Reform af
  beskæftigelsesindsatsen - konsekvenser for {kom} Kommune | o:Status på forhandlingerne om en ny
  beskæftigelsesreform
s ekspertgruppens anbefalinger
r Ekspertgruppen om fremtidens beskæftigelsesindsats præsenterede sine anbefalinger i juni 2024, og
  udvalget orienteres om betydningen for {kom} Kommune.
r Anbefalingerne er kendetegnet ved frihed, forenkling og færre proceskrav, og de indgår i de
  kommende politiske forhandlinger.
b Ekspertgruppen anbefaler, at antallet af målgrupper reduceres fra 13 til 5, og at en række
  sætregler afskaffes.
b Kravet om et kommunalt jobcenter foreslås fjernet, så kommunerne frit kan organisere indsatsen.
b A-kasserne og private leverandører får efter anbefalingerne en større rolle i indsatsen for de
  forsikrede ledige.
b Anbefalingerne vil samlet medføre en besparelse på 3 mia. kr. i 2030, som foreslås indfaset
  gradvist fra 2026.
b Administrationen vurderer, at omkring {n1_20_160} medarbejdere i jobcentret vil blive berørt af
  ændringerne.
b KL har udarbejdet en analyse, som viser store forskelle i konsekvenserne for de enkelte kommuner.
e Med forbehold kan anbefalingerne betyde en besparelse på op mod {n2_6_90} mio. kr. i {kom}
  Kommune.
= budget | job okonomi social born teknik kultur |  |  | 00.30.10
t o:Budgetopfølgning {q}. kvartal {qy} | a:Budget {ny} - prioriteringsforslag for {udv} |
  o:Forventet regnskab {y}
s budgettet for {udvs} område
r Økonomien på {udvs} område viser et forventet {mer}forbrug på {k1_300_9000} kr. i {y}.
r Sagen giver et overblik over økonomien på {udvs} område og forslag til, hvordan budgettet kan
  overholdes.
b Afvigelsen skyldes primært udgifter til {benefit1}, hvor antallet af modtagere er højere end
  forudsat i budgettet.
b På de budgetgaranterede områder forventes et mindreforbrug på {k2_200_5000} kr., som dog ikke kan
  anvendes til serviceudgifter.
b Der er i årets løb givet tillægsbevillinger på i alt {k3_100_3000} kr. til området.
b Administrationen foreslår, at afvigelsen håndteres inden for de afsatte puljer, så servicerammen
  overholdes.
b Forventningerne bygger på forbruget til og med {earlier} og er derfor behæftet med usikkerhed.
b Udvalget vil ved næste opfølgning få en mere detaljeret analyse af udgifterne til {benefit1}.
e Den samlede nettodriftsramme for {udvs} område er {n1_40_900} mio. kr.
= beskplan | job okonomi |  |  | 15.00.00
t a:Beskæftigelsesplan {ny} | g:1. behandling af Strategi for beskæftigelsesindsatsen {ny}-{ny3} |
  o:Opfølgning på beskæftigelsesplan {y}
s beskæftigelsesplanen
r Beskæftigelsesplanen er det styrende dokument for jobcentrets indsats og fastlægger mål og
  fokusområder for det kommende år.
r Udvalget har på de seneste møder drøftet principper, fokusområder og mål, og administrationen har
  på den baggrund udarbejdet et samlet forslag.
b Planen tager udgangspunkt i beskæftigelsesministerens mål og i de lokale udfordringer på
  arbejdsmarkedet i {kom} Kommune.
b Der er udvalgt {n1_3_6} fokusområder, herunder flere unge i uddannelse, flere borgere med
  handicap i job og et styrket virksomhedssamarbejde.
b Forslaget sendes i høring i det lokale arbejdsmarkedsforum, og høringssvarene forelægges udvalget
  den {e1}.
b Herefter sendes planen til godkendelse i Økonomiudvalget og {raad}.
b Planen indeholder konkrete resultatmål, som følges i kvartalsbogen.
b {name1}, {role1}, har stået for processen og deltager under punktet.
= virksomhed | job teknik |  |  | 15.05.00
t o:Virksomhedsservice og rekruttering - status | g:Partnerskabsaftaler med lokale virksomheder |
  g:Tids- og handleplan for CSR-mærke {kom} {ny}
s virksomhedssamarbejdet
r Udvalget får en status på jobcentrets samarbejde med virksomhederne om rekruttering, fastholdelse
  og socialt ansvar.
r Jobcenter {kom} vil udbygge samarbejdet med de lokale virksomheder, så flere ledige kommer i job
  på ordinære vilkår.
b Jobcentret har siden årsskiftet modtaget {n1_80_900} rekrutteringsanmodninger, hvoraf {p1_55_90}
  % er løst inden for fristen.
b Der er indgået partnerskabsaftaler med {n2_10_70} virksomheder, blandt andet {firm1} og {firm2}.
b Mange virksomheder efterspørger jobs på få timer, som kan bygges op over tid.
b Virksomhedskonsulenterne har fokus på brancher med mangel på arbejdskraft, særligt bygge og
  anlæg, transport og sundhed.
b {name1} fra {firm1} deltager på mødet og fortæller om virksomhedens erfaringer med at ansætte
  ledige.
b Mærket uddeles til virksomheder, der tager et socialt ansvar ved at ansætte borgere på særlige
  vilkår.
= unge | job born kultur |  |  | 17.12.00
t o:Status på den kommunale ungeindsats | g:Samarbejdsaftale med {fgu} | o:Unge uden uddannelse og
  job i {kom} Kommune
s ungeindsatsen
r Udvalget orienteres om ungeindsatsen, der skal sikre, at flere unge under 25 år gennemfører en
  uddannelse eller kommer i job.
r Sagen giver en status på de unge i målgruppen for den forberedende grunduddannelse (FGU) og på
  samarbejdet med {fgu}.
b Pr. {d1} er {n1_60_900} unge under 25 år hverken i uddannelse eller job i {kom} Kommune.
b {n2_40_400} unge er indskrevet på {fgu}, og frafaldet er faldet til {p1_12_29} %.
b Ungeindsatsen samler uddannelsesvejledning, jobcenter og socialområdet i ét team.
b Der arbejdes med uddannelsespålæg og mentorstøtte for de unge, der er længst fra uddannelse.
b Erfaringerne viser, at korte praktikforløb hos virksomheder øger de unges motivation.
b {name1}, leder af ungeindsatsen, deltager under punktet.
= handicap | job okonomi social born teknik kultur |  |  | 00.01.00
t o:Handicapstrategi {y} - udmøntning | d:Handicappolitik - temaer for {udv} | g:Handleplan for
  handicapstrategien
s udmøntningen af handicapstrategien
r {raad} godkendte handicapstrategien den {d1}, og de politiske udvalg skal nu tage stilling til,
  hvilke temaer de vil arbejde med.
r Udvalget får en status på arbejdet med at udmønte handicapstrategien på eget område.
b Handicaprådet orienteres om udvalgenes arbejde på et møde i {later}.
b Strategien har fokus på, at borgere med handicap får mulighed for at bidrage med deres ressourcer
  i et arbejdsfællesskab.
b Kendskabet til de handicapkompenserende ordninger skal udbredes blandt både borgere og
  virksomheder.
b Administrationen foreslår, at strategien indarbejdes i de eksisterende planer frem for i en
  selvstændig handleplan.
b Der er i {py} bevilget handicapkompenserende ordninger til {n1_20_180} borgere.
b Unge med handicap skal have trygge rammer og lige muligheder for at gennemføre en uddannelse.
e Udmøntningen sker inden for udvalgets eksisterende budget, og initiativer skal prioriteres i
  forhold til andre hensyn.
= trafik | teknik |  |  | 05.01.00
t g:Trafiksikkerhedsplan {y}-{ny3} | a:Anlægsbevilling til cykelsti langs {street} | o:Status på
  trafiksikre skoleveje
s trafiksikkerheden
r Udvalget skal tage stilling til prioriteringen af trafiksikkerhedsprojekter i {kom} Kommune.
r Sagen beskriver status på arbejdet med sikre skoleveje og forslag til nye projekter.
b Der er i perioden registreret {n1_8_90} politiregistrerede uheld, heraf {n2_1_12} med alvorlig
  personskade.
b Borgerne har indsendt {n3_20_240} forslag til forbedringer, særligt ved skoler og i landsbyerne.
b Administrationen anbefaler, at strækningen ved {street} prioriteres først, fordi mange skolebørn
  cykler her.
b Projekterne gennemføres i samarbejde med politiet og Rådet for Sikker Trafik.
b Anlægsarbejdet forventes at kunne begynde i {later}.
b Skolebestyrelserne er inddraget i udpegningen af de farligste steder.
e Anlægsudgiften er anslået til {k1_400_9000} kr., som finansieres af den afsatte pulje til
  trafiksikkerhed.
= fritid | kultur |  |  | 20.00.00
t g:Fordeling af puljen til foreningsliv for børn og unge | o:Fritidsjob til unge - status |
  g:Tilskud til lokale idrætsfaciliteter {y}
s fritidsområdet
r Udvalget skal fordele årets pulje til aktiviteter, der får flere børn og unge med i
  foreningslivet.
r Sagen giver en status på samarbejdet mellem foreninger, skoler og Jobcenter {kom} om fritidsjob
  til unge.
b Der er modtaget {n1_12_80} ansøgninger om i alt {k1_300_4000} kr.
b Puljen er i {y} på {k2_200_2500} kr.
b {n2_20_200} unge har siden {earlier} fået et fritidsjob gennem samarbejdet med lokale foreninger
  og virksomheder.
b Foreningerne peger på, at mangel på frivillige trænere er den største udfordring.
b Administrationen anbefaler, at ansøgninger med fokus på inklusion prioriteres.
b Fritidspas giver økonomisk støtte til kontingent for børn og unge fra familier med lav indkomst.

# Near-copies of real sample items' topics, written anew with other figures.
= m_ips_unge | job | 2023-06-01 | Mariagerfjord | 15.20.00
t o:Puljen "IPS for unge" - Tilsagn om midler | o:Tilsagn fra puljen "IPS for unge"
s IPS-projektet for unge
r I {earlier} søgte {kom} Kommune sammen med {p1} og {p2} Styrelsen for Arbejdsmarked og
  Rekruttering (STAR) om midler fra puljen "IPS for unge". Ansøgningen er imødekommet, og udvalget
  orienteres om projektet.
b IPS står for "Individuelt Planlagt job med Støtte" og er en evidensbaseret metode for personer
  med psykiske lidelser.
b Projektet løber i tre år fra ultimo {y} til ultimo {y3}.
b Der etableres et tværkommunalt IPS-team, så de tre kommuner kan dele viden og sparre om metoden.
b Målgruppen er unge mellem 18 og 29 år, som har en psykiatrisk diagnose eller viser tegn på
  psykisk mistrivsel.
b Der forventes cirka {n1_15_60} unge årligt i målgruppen i {kom} Kommune.
b Projektejer er {name1}, {role1} i Jobcenter {kom}, og der nedsættes en styregruppe med
  jobcenterchefer fra de tre kommuner.
e {kom} Kommune har fået tilsagn om ca. {k1_700_2600} kr. over den treårige projektperiode og
  medfinansierer et tilsvarende beløb inden for den nuværende budgetramme. Hertil kommer
  {k2_300_900} kr. i fælles midler til ekstern konsulentbistand og revision.
= m_kvartalsbog | job | 2022-06-01 | Lejre | 15.00.00
t g:Kvartalsbog {mon} {y} | g:Kvartalsbog og status for fordrevne fra Ukraine
s nyt format for kvartalsbogen
r I denne sag præsenteres status på Beskæftigelsesplan {y} i form af kvartalsbogen for {q}. kvartal
  {qy}, herunder status for de fordrevne fra Ukraine.
b Ledigheden var i {earlier} på {f1_15_45} % i {kom} Kommune.
b I perioden er der afsluttet {n1_20_140} ressourceforløb, mens {n2_8_80} nye er startet.
b Pr. {d1} er der {n3_40_650} fordrevne fra Ukraine med ophold efter særloven i {kom} Kommune.
b {p1_40_75} % af de fordrevne fra Ukraine var i {earlier} i beskæftigelse, primært inden for hotel
  og restauration, rengøring og industri.
b I alt {n4_20_220} fordrevne er henvist til danskuddannelse, og der er påbegyndt {n5_5_60}
  virksomhedspraktikker.
= m_stu | job born | 2023-09-01 | Lejre | 17.02.20
t o:Orientering om status på området for Særlig Tilrettelagt Ungdomsuddannelse
s status på STU-området
r På udvalgets møde den {d1} blev udvalget orienteret om et forventet merforbrug på STU-området på
  {k1_500_4000} kr. I denne sag gives en status på de igangsatte tiltag.
b Efter den nye STU-lov fra 11. august 2023 er målgruppen "unge med særlige behov", hvilket peger i
  retning af en bredere målgruppe.
b {kom} Kommune køber STU-forløb hos eksterne leverandører og har aktuelt {n1_15_120} unge i
  forløb.
b For at nedbringe merforbruget er alle igangværende forløb gennemgået, og der er ansat en
  ungevejleder, som skal afprøve alternativer som FGU og praktik.
b Visitationen er strammet, så STU-udvalget giver flere afslag, altid med en alternativ plan for
  den unge.
b Samarbejdet om overgangen fra barn til voksen styrkes, så jobcentret inddrages, allerede når de
  unge er 16-17 år.
= m_ekspert | job okonomi social | 2024-08-01 | Aabenraa | 15.00.00
t d:Temadrøftelse om Fremtidens Beskæftigelsesindsats
s ekspertgruppens anbefalinger til fremtidens beskæftigelsesindsats
r På sidste møde blev {udv} orienteret om ekspertgruppens anbefalinger til fremtidens
  beskæftigelsesindsats. I denne sag lægges op til, at udvalget drøfter anbefalingerne.
b Ekspertgruppen præsenterede anbefalingerne den 24. juni 2024.
b {name1}, {role1} og medlem af ekspertgruppens følgegruppe, deltager under punktet og uddyber
  anbefalingerne.
b Anbefalingerne indgår i de kommende forhandlinger på Christiansborg om en ny
  beskæftigelsesindsats.
e Anbefalingerne vil samlet medføre en besparelse på 3 mia. kr. i 2030. Med forbehold kan det
  betyde en besparelse på op mod {n1_6_90} mio. kr. i {kom} Kommune.
l Ekspertgruppens seks anbefalinger | - Færre målgrupper og sætregler | - En individuelt
  tilrettelagt indsats | - Et enklere sanktionssystem | - Nedlægning af jobcentrene og fri
  organisering | - Mere plads til a-kasser og private leverandører | - Styring efter resultater
= m_integration | job |  | Vejle | 15.40.00
t o:Status på fokuseret integrationsindsats
s status på den fokuserede integrationsindsats
r På mødet den {d1} bevilgede {udv} {k1_300_1800} kr. til udvikling af en fokuseret
  integrationsindsats. Udvalget får i dag en status på indsatsen og de foreløbige resultater.
b Aktuelt er der {n2_20_100} aktive sager i indsatsen, og {n3_4_25} borgere er overgået til job,
  uddannelse eller selvforsørgelse.
b Alle borgere er screenet efter progressionstrappen, så indsatsen tilpasses deres afstand til
  arbejdsmarkedet.
b {n4_3_15} borgere er i småjobs, og {n5_2_12} er i virksomhedspraktik.
b Der etableres en jobskole i tre spor, som løbende justeres efter borgernes behov.
b Det forventes, at der ved udgangen af {y} foreligger en afprøvet model.
= m_borger | job | 2023-03-01 | Mariagerfjord | 15.00.00
t o:Tværkommunal borgerundersøgelse på beskæftigelsesområdet
s resultaterne af borgerundersøgelsen
r {kom} Kommune har deltaget i KL's tværkommunale undersøgelse af borgernes tilfredshed med
  jobcentret, og udvalget orienteres om resultaterne.
b Svarprocenten var {p1_25_55} %, og i alt {n1_250_1400} borgere har besvaret skemaet mod
  {n2_90_400} telefoninterviews året før.
b Den overordnede tilfredshed med jobcentret ligger på {p2_58_82} %, hvilket er {n3_2_12}
  procentpoint {cmp} gennemsnittet.
b Tilfredsheden falder, jo længere borgerens sag har varet.
b Afdelingerne vil arbejde med resultaterne i den nye beskæftigelsesplan.
l Resultater | - Mødet med jobcentret: {p3_60_90} % | - Mål og aktiviteter: {p4_55_85} % | -
  Samarbejde på tværs af forvaltninger: {p5_45_80} % | - Samtalen: {p6_70_92} % | - Progression mod
  job eller uddannelse: {p7_45_75} %
"""


def _parse_topics(text: str) -> tuple[Topic, ...]:
    entries: list[list[str]] = []
    for line in text.strip().splitlines():
        if line.startswith("  "):
            entries[-1][1] += " " + line.strip()
        elif line and not line.startswith("#"):
            entries.append(line.split(" ", 1))
    fields = {"t": "titles", "r": "resume", "b": "body", "e": "economy", "l": "bullets"}
    specs: list[dict] = []
    for tag, rest in entries:
        if tag == "=":
            key, kinds, since, avoid, kle = (part.strip() for part in rest.split("|"))
            since_date = dt.date.fromisoformat(since) if since else dt.date(2019, 1, 1)
            specs.append({"key": key, "kinds": tuple(kinds.split()), "since": since_date,
                          "avoid": avoid, "kle": kle})  # fmt: skip
        elif tag == "s":
            specs[-1]["subject"] = rest
        else:
            parts = rest.split(" | ") if tag in "tl" else [rest]
            specs[-1][fields[tag]] = (*specs[-1].get(fields[tag], ()), *parts)
    return tuple(Topic(**spec) for spec in specs)


_ALL = _parse_topics(TEMPLATES)
TOPICS = tuple(t for t in _ALL if not t.avoid)
MIRRORS = tuple(t for t in _ALL if t.avoid)

# Sentences any item may end with, so that two items on one topic do not read alike; "j:" marks
# those that only an employment or social committee would hear.
SHARED = (
    "Administrationen følger udviklingen tæt og giver udvalget en ny status i {later}.",
    "Sagen har været drøftet i direktionen, som bakker op om den foreslåede retning.",
    "Tallene er opgjort pr. {d9} og kan afvige en smule fra de officielle tal.",
    "Der er vedlagt et bilag med en uddybende opgørelse.",
    "Udvalget har tidligere bedt om en opfølgning på området, senest på mødet den {d8}.",
    "{name9}, {role9} i {kom} Kommune, deltager under punktet og uddyber sagen.",
    "Der er fortsat usikkerhed om de statslige rammer, og sagen kan derfor blive genoptaget.",
    "Erfaringerne fra nabokommunerne er inddraget i arbejdet.",
    "j:Indsatsen koordineres med social- og sundhedsområdet, så borgerne oplever én samlet plan.",
    "j:Det lokale arbejdsmarkedsforum er orienteret og har ingen bemærkninger til sagen.",
)
MESSAGES = (
    "Årsrulleplan for {udv}", "Invitation til KL's temadag den {e1}",
    "Orientering om besøg hos {firm1}", "Opfølgning på henvendelse fra Handicaprådet",
    "Sygefraværet i forvaltningen {py}", "Orientering om kommende borgermøde den {e1}",
    "j:Orientering om ny bekendtgørelse på beskæftigelsesområdet",
    "j:Orientering fra møde i det lokale arbejdsmarkedsforum",
    "j:Orientering om byretsdom i en sag fra kontrolgruppen",
    "j:Status på rekrutteringssituationen i Jobcenter {kom}",
    "j:Ny leder af ungeindsatsen: {name1}",
)  # fmt: skip
STATUS_OF_KIND = {"o": "taget til efterretning", "g": "godkendt", "a": "anbefalet", "d": "drøftet"}
RECOMMEND = {
    "o": ("at udvalget tager orienteringen om {s} til efterretning.",
          "at orienteringen tages til efterretning."),
    "g": ("at udvalget godkender administrationens forslag vedrørende {s}.",
          "at {udv} godkender indstillingen om {s}."),
    "a": ("at udvalget anbefaler {raad} at godkende forslaget vedrørende {s}.",
          "at udvalget over for Økonomiudvalget og {raad} anbefaler forslaget."),
    "d": ("at udvalget drøfter {s}.",
          "at udvalget drøfter oplægget og giver input til det videre arbejde."),
}  # fmt: skip
# assistant.decisions reads a status from these words, so none may contain another status's
# words ("udsatte", "ikke godkende").
DECISIONS = {
    "godkendt": ("Godkendt.", "Indstillingen blev godkendt.", "Godkendt som indstillet."),
    "taget til efterretning": (
        "Taget til efterretning.", "Orienteringen blev taget til efterretning.",
        "Udvalget tog orienteringen til efterretning.",
    ),
    "drøftet": ("Drøftet.", "Oplægget blev drøftet.",
                "Udvalget drøftede sagen og gav input til det videre arbejde."),
    "anbefalet": ("Anbefales godkendt.", "Indstillingen anbefales over for {raad}.",
                  "Udvalget anbefaler indstillingen."),
    "udsat": ("Udsat.", "Punktet blev udsat til næste møde.",
              "Sagen udsættes, idet udvalget ønsker yderligere oplysninger."),
}  # fmt: skip
DISSENTS = (
    "{m} kunne ikke støtte indstillingen.", "{m} stemte imod.",
    "{m} ønskede sin stemme ført til protokol.", "{m} tog forbehold for finansieringen.",
)  # fmt: skip
CLOSED = (
    "Lukket: Personalesag", "Lukket: Personalesag vedrørende ansættelse",
    "Lukket: Sag om tilbagebetaling", "Lukket punkt: Udbud af STU-forløb",
)  # fmt: skip


@dataclass(frozen=True)
class SyntheticItem:
    """What an item was generated as: what the parser must read back."""

    number: int
    title: str
    case_number: str
    status: str = ""  # the intended decision status, "" when there is no decision
    absentees: tuple[str, ...] = ()
    dissent: tuple[str, ...] = ()
    closed: bool = False
    topic: str = ""  # a Topic key; "" for the standing items
    mirror: bool = False
    words: int = 0  # words in the item's section texts


@dataclass(frozen=True)
class SyntheticMeeting:
    """One generated file: its text and what the parser must read from it."""

    filename: str
    municipality: str
    committee: str
    date: dt.date
    start_time: str
    layout: str
    items: tuple[SyntheticItem, ...]
    text: str


def generate_corpus(
    out_dir: Path, meetings: int, *, seed: int = 7, samples_dir: Path | None = None
) -> list[Path]:
    """Write `meetings` synthetic minutes files (.txt, UTF-8) into out_dir; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for meeting in build_corpus(meetings, seed=seed, samples_dir=samples_dir):
        paths.append(out_dir / meeting.filename)
        paths[-1].write_text(meeting.text, encoding="utf-8")
    return paths


def build_corpus(
    meetings: int, *, seed: int = 7, samples_dir: Path | None = None
) -> list[SyntheticMeeting]:
    """The meetings generate_corpus writes, each with what its items were generated as."""
    taken: set[tuple[str, dt.date]] = set()
    sample_cases: set[str] = set()
    if samples_dir is not None:
        from assistant.ingest.parse import parse_file

        for path in sorted(samples_dir.glob("*.txt")):
            # A synthetic meeting on a sample's day, or a sample's case number, would make the
            # real sources ambiguous by key rather than by content.
            sample = parse_file(path)
            taken.add((sample.municipality, sample.date))
            sample_cases.update(normalise_case_number(i.case_number) for i in sample.items)
    rng = random.Random(seed)
    # Seeded by name, so a municipality prints alike whatever the corpus size.
    profiles = {name: _Profile.draw(random.Random(f"{seed}:{name}")) for name in NAMES}
    slots: list[_Slot] = []
    seen: set[tuple[str, str, dt.date]] = set()
    while len(slots) < meetings:
        name = rng.choice(NAMES)
        kinds = list(profiles[name].committees)
        kind = rng.choices(kinds, [KIND_WEIGHT[k] for k in kinds])[0]
        date = _meeting_day(rng)
        if (name, kind, date) not in seen and (name, date) not in taken:
            seen.add((name, kind, date))
            most = min(9, 5 + len(_pool(TOPICS, kind, date)))
            slots.append(_Slot(len(slots) + 1, name, kind, date, rng.randint(5, most)))
    _number(slots, profiles, rng)
    share = _Share(0.15 if samples_dir is not None else 0.0)
    return [
        _Writer(slot, profiles[slot.municipality], seed, share, sample_cases).meeting()
        for slot in slots
    ]


def _pool(topics: tuple[Topic, ...], kind: str, date: dt.date, host: str = "") -> list[Topic]:
    """The topics a committee of this kind can have on its agenda that day, in that place."""
    return [
        t
        for t in topics
        if kind in t.kinds and t.since <= date and (not t.avoid or t.avoid != host)
    ]


def _meeting_day(rng: random.Random) -> dt.date:
    """A Monday to Thursday in 2019-2025 outside July and Christmas, when committees meet."""
    start = dt.date(2019, 1, 7).toordinal()
    while True:
        day = dt.date.fromordinal(start + rng.randrange(2537))  # to 18 December 2025
        if day.weekday() < 4 and day.month != 7 and not (day.month == 12 and day.day > 19):
            return day


@dataclass(frozen=True)
class _Profile:
    """How one municipality's publishing system prints minutes; fixed across its meetings."""

    committees: dict[str, str]  # committee kind -> name
    layout: str
    resume_label: str  # "" when the text starts with Sagsfremstilling (Aabenraa)
    decision_label: str  # "plain", "dated" ("Beslutning X den 02-09-2024") or "line" (Næstved)
    absence: str  # "colon" ("Fraværende: X (V)"), "var" or "deltog"
    case_format: str  # "kle" (15.20.00-P20-1-23), "slash" (23/7010) or "dash" (24-005451)
    coded: bool  # "JAI - " before every title, as in Lejre
    per_year: bool  # item numbers run on through the committee's year
    council: str
    office: str  # the directorate that recommends
    hall: str

    @staticmethod
    def draw(rng: random.Random) -> _Profile:
        layout = rng.choices(list(LAYOUTS), list(LAYOUTS.values()))[0]
        kinds = ("job", "okonomi", *rng.sample(("social", "born", "teknik", "kultur"), 2))
        resume = {"mariagerfjord": "Anledning", "lejre": "Resumé", "aabenraa": ""}
        return _Profile(
            committees={kind: rng.choice(COMMITTEES[kind]) for kind in kinds},
            layout=layout,
            resume_label=resume.get(layout, rng.choice(("Resume", "Resumé", "Sammenfatning"))),
            decision_label={"aabenraa": "dated", "standard": rng.choice(("plain", "dated", "line"))}
            .get(layout, "plain"),
            absence=rng.choice(("colon", "var", "deltog")),
            case_format=rng.choice(("kle", "slash", "dash")),
            coded=layout == "lejre" and rng.random() < 0.5,
            per_year=layout not in ("mariagerfjord", "lejre"),
            council=rng.choice(("Byrådet", "Byrådet", "Kommunalbestyrelsen")),
            office=rng.choice(("Børn, Uddannelse og Arbejdsmarked", "Job og Velfærd",
                               "Social og Beskæftigelse", "Arbejdsmarked og Borgerservice")),
            hall=rng.choice(HALLS),
        )  # fmt: skip


@dataclass
class _Slot:
    index: int
    municipality: str
    kind: str
    date: dt.date
    count: int
    first: int = 1


def _number(slots: list[_Slot], profiles: dict[str, _Profile], rng: random.Random) -> None:
    """Most systems number items on through a committee's year (69, 70, ...). Meetings outside
    the corpus lie in between, so a meeting starts no lower than its date implies."""
    last: dict[tuple[str, str, int], int] = {}
    for slot in sorted(slots, key=lambda s: (s.date, s.index)):
        if profiles[slot.municipality].per_year:
            key = (slot.municipality, slot.kind, slot.date.year)
            implied = max(0, slot.date.timetuple().tm_yday - 15) * rng.randint(70, 110) // 365
            slot.first = max(last.get(key, 0), implied) + 1
            last[key] = slot.first + slot.count - 1


@dataclass
class _Share:
    """Error diffusion: a mirror wherever one is allowed while the share is below target."""

    target: float
    items: int = 0
    used: dict[str, int] = field(default_factory=dict)  # mirror key -> items so far

    def want(self, upcoming: int) -> bool:
        return self.target * (self.items + upcoming) - sum(self.used.values()) >= 1


class _Values(dict[str, str]):
    """Placeholder -> value, drawn on first use so that an item states one figure per name.

    A key is a kind, a tag and maybe bounds: n (count), p (percent), f (tenths: '2,4'),
    k (thousands of kroner: '1.234.500'), d/e (a date before/after the meeting), name, role,
    firm, benefit. Values that answer a sample municipality's questions are drawn again."""

    def __init__(self, rng: random.Random, fixed: dict[str, str], forbidden: tuple[str, ...]):
        super().__init__(fixed)
        self.rng, self.forbidden = rng, forbidden

    def fill(self, template: str) -> str:
        return template.removeprefix("j:").format_map(self)

    def __missing__(self, key: str) -> str:
        for _ in range(200):
            value = self._draw(key)
            if value not in self.forbidden and not value.startswith(
                tuple(f"{f} " for f in self.forbidden)
            ):
                self[key] = value
                return value
        raise ValueError(f"no allowed value for {{{key}}}")

    def _draw(self, key: str) -> str:
        rng, kind = self.rng, key.split("_")[0].rstrip("0123456789")
        if kind == "name":
            return _person(rng)
        if kind in ("role", "firm", "benefit"):
            return rng.choice(
                {"role": ROLES[self["roles"]], "firm": FIRMS, "benefit": BENEFITS}[kind]
            )
        if kind in ("d", "e"):  # a working day, since most such dates are meetings
            days = rng.randint(14, 150) * (-1 if kind == "d" else 1)
            day = dt.date.fromisoformat(self["iso"]) + dt.timedelta(days=days)
            return danish_date(day - dt.timedelta(days=max(0, day.weekday() - 3)))
        low, high = (int(x) for x in key.split("_")[1:3])
        value = rng.randint(low, high)
        if kind == "k":
            return f"{value * 1000 + rng.choice((0, 0, 500)):,}".replace(",", ".")
        if kind == "f":
            return f"{value / 10:.1f}".replace(".", ",")
        return f"{value:,}".replace(",", ".")  # Danish thousands: 1.257


def _person(rng: random.Random) -> str:
    while True:
        middle = f" {rng.choice(MIDDLE)}" if rng.random() < 0.15 else ""
        if (name := f"{rng.choice(FIRST)}{middle} {rng.choice(LAST)}") not in SAMPLE_PEOPLE:
            return name


def _code(committee: str) -> str:
    """'Udvalget for Arbejdsmarked og Uddannelse' -> 'UAU'; 'Socialudvalget' -> 'SU'."""
    capitals = re.findall(r"[A-ZÆØÅ]", committee.replace("Udvalget for ", "U "))
    return "".join(capitals) + ("U" if committee.endswith("udvalget") else "")


def _case(rng: random.Random, fmt: str, year: int, kle: str) -> str:
    yy = (year - rng.choice((0, 0, 0, 1, 2))) % 100
    if fmt == "kle":
        letter = rng.choice(("G01", "P20", "A00", "P22", "P35", "G00"))
        return f"{kle}-{letter}-{rng.randint(1, 1200)}-{yy:02d}"
    if fmt == "slash":
        return f"{yy:02d}/{rng.randint(1000, 42000)}"
    return f"{yy:02d}-{rng.randint(100, 16000):06d}"


Member = tuple[str, str]  # name, party letter
Section = tuple[str, list[str]]  # printed heading ("" for none), paragraphs


@dataclass
class _Built:
    title: str
    sections: list[Section] = field(default_factory=list)
    status: str = ""
    absentees: tuple[str, ...] = ()
    dissent: tuple[str, ...] = ()
    closed: bool = False


class _Writer:
    """Writes one meeting: header, table of contents and items in its municipality's layout."""

    def __init__(self, slot: _Slot, profile: _Profile, seed: int, share: _Share, cases: set[str]):
        self.slot, self.profile, self.share = slot, profile, share
        self.cases = cases  # sample case numbers, never reused
        self.rng = rng = random.Random(f"{seed}:{slot.index}")
        self.name, self.date, self.layout = slot.municipality, slot.date, profile.layout
        self.committee = udv = profile.committees[slot.kind]
        self.period = "2018-2021" if self.date.year <= 2021 else "2022-2025"
        self.key = f"{seed}:{self.name}:{udv}:{self.period}"
        members_rng, self.members = random.Random(self.key), dict[str, str]()
        while len(self.members) < 7 + len(udv) % 3:  # the same members all period
            self.members.setdefault(_person(members_rng), members_rng.choice(PARTIES))
        self.job = slot.kind in ("job", "social")
        back = self.date.replace(day=1) - dt.timedelta(days=rng.randint(20, 110))
        on = self.date.replace(day=28) + dt.timedelta(days=rng.randint(10, 130))
        quarter, year = (self.date.month - 1) // 3 or 4, self.date.year
        self.fixed = {
            "kom": self.name, "udv": udv, "udvs": udv if udv.endswith("s") else udv + "s",
            "raad": profile.council, "y": str(year), "py": str(year - 1), "ny": str(year + 1),
            "y3": str(year + 3), "ny3": str(year + 4), "mon": DANISH_MONTHS[self.date.month - 1],
            "q": str(quarter), "qy": str(year - (quarter == 4)), "iso": self.date.isoformat(),
            "earlier": f"{DANISH_MONTHS[back.month - 1]} {back.year}",
            "later": f"{DANISH_MONTHS[on.month - 1]} {on.year}",
            "region": rng.choice(REGIONS), "fgu": rng.choice(FGU), "street": rng.choice(STREETS),
            "mer": rng.choice(("mer", "mindre")), "cmp": rng.choice(("over", "under")),
            "roles": "job" if self.job else "other",
        }  # fmt: skip
        self.fixed["p1"], self.fixed["p2"] = rng.sample([n for n in NAMES if n != self.name], 2)
        self.forbidden = (*NEVER_DRAWN, *SAMPLE_FIGURES.get(self.name, ()))
        self.shared = [s for s in SHARED if self.job or not s.startswith("j:")]
        self.present: list[Member] = []

    def values(self) -> _Values:
        return _Values(self.rng, self.fixed, self.forbidden)

    def meeting(self) -> SyntheticMeeting:
        rng, slot = self.rng, self.slot
        plan = self._plan()
        members = list(self.members.items())
        away = [members.pop(rng.randrange(len(members)))] if rng.random() < 0.2 else []
        # Someone who leaves early is absent from the later items only.
        leaver = members.pop(rng.randrange(len(members))) if rng.random() < 0.1 else None
        leaves_at = rng.randint(2, len(plan))
        prefix = f"{_code(self.committee)} - " if self.profile.coded else ""
        items, blocks = [], []
        for position, (key, topic, mirror) in enumerate(plan, start=1):
            number = slot.first + position - 1
            absent = away + ([leaver] if leaver and position >= leaves_at else [])
            self.present = [m for m in self.members.items() if m not in absent]
            built = self._standing(key, absent, number) if topic is None else self._case_item(
                topic, absent
            )  # fmt: skip
            title = built.title if built.closed else prefix + built.title
            case = self._case_number(key, topic)
            words = sum(len(p.split()) for _, paragraphs in built.sections for p in paragraphs)
            items.append(SyntheticItem(number, title, case, built.status, built.absentees,
                                       built.dissent, built.closed, topic.key if topic else "",
                                       mirror, words))  # fmt: skip
            lines = [f"{'Sak' if self.layout == 'vejle' else 'Punkt'} {number}: {title}", ""]
            lines += [case, ""] if case else []
            for label, paragraphs in built.sections:
                lines += [label, ""] if label else []
                lines += [line for paragraph in paragraphs for line in (paragraph, "")]
            blocks.append("\n".join(lines).rstrip())
        header, start = self._header([n for n, p in self.members.items() if (n, p) not in away])
        text = "\n".join([*header, *self._toc(items), "", "\n\n".join(blocks)]) + "\n"
        ascii_name = re.sub(r"[^a-z0-9]+", "-", ascii_fold(self.name).lower())
        filename = f"syn_{slot.index:05d}_{ascii_name}.txt"
        return SyntheticMeeting(filename, self.name, self.committee, self.date, start,
                                self.layout, tuple(items), text)  # fmt: skip

    def _plan(self) -> list[tuple[str, Topic | None, bool]]:
        """Item keys in agenda order: the agenda, the cases, then the standing items."""
        rng, slot = self.rng, self.slot
        chances = {"meddelelser": 0.8, "eventuelt": 0.7, "lukket": 0.12, "sidste": 0.75}
        standing = [key for key, chance in chances.items() if rng.random() < chance]
        pool = _pool(TOPICS, slot.kind, self.date)
        while slot.count - 1 - len(standing) > len(pool):
            standing.append(next(k for k in chances if k not in standing))
        while slot.count - 1 - len(standing) < 2:
            standing.pop(0)
        standing.sort(key=list(chances).index)
        # The least used mirrors first and at most three a meeting, so that every sample topic
        # gets its near-duplicates and they spread over the years they are possible in.
        mirrors = _pool(MIRRORS, slot.kind, self.date, host=self.name)
        mirrors.sort(key=lambda t: (self.share.used.get(t.key, 0), rng.random()))
        cases: list[tuple[str, Topic | None, bool]] = []
        for topic in rng.sample(pool, slot.count - 1 - len(standing)):
            if mirrors and self.share.want(slot.count) and sum(m for *_, m in cases) < 3:
                topic = mirrors.pop(0)
                self.share.used[topic.key] = self.share.used.get(topic.key, 0) + 1
            cases.append((topic.key, topic, bool(topic.avoid)))
        self.share.items += slot.count
        return [("dagsorden", None, False), *cases, *((key, None, False) for key in standing)]

    def _case_number(self, key: str, topic: Topic | None) -> str:
        if self.layout == "lejre" and key == "dagsorden":
            return ""  # Lejre prints none for the agenda
        # Standing items keep one case per committee and period, as ESDH systems file them.
        rng = self.rng if topic else random.Random(f"{self.key}:{key}")
        while True:
            case = _case(rng, self.profile.case_format, self.date.year,
                         topic.kle if topic else "00.22.04")  # fmt: skip
            if normalise_case_number(case) not in self.cases:
                return case

    def _header(self, present: list[str]) -> tuple[list[str], str]:
        rng, date, vejle = self.rng, self.date, self.layout == "vejle"
        start = rng.choice(("08:00", "08:30", "09:00", "13:00", "14:30", "15:00", "16:00",
                            "16:15", "16:30", "17:00"))  # fmt: skip
        end = int(start[:2]) * 60 + int(start[3:]) + rng.choice((90, 120, 150, 180))
        until = f" - {end // 60:02d}:{end % 60:02d}" if rng.random() < 0.35 else ""
        hall = (
            "Mødelokale {n}, Jobcenter {kom}"
            if self.job and rng.random() < 0.5
            else self.profile.hall
        )
        place = hall.format(n=rng.randint(1, 6), kom=self.name, street=rng.choice(STREETS),
                            no=rng.randint(1, 40))  # fmt: skip
        period = {"aabenraa": "", "lejre": f" - {self.period}", "vejle": f" - {self.period}"}
        day = f"{WEEKDAYS[date.weekday()]} d. {date.day:02d}. {DANISH_MONTHS[date.month - 1]}"
        lines = ["", "", f"REFERAT {self.committee}{period.get(self.layout, ' ' + self.period)} "
                 f"d. {date:%d-%m-%Y}", "",
                 f"{'Møtedato' if vejle else 'Mødedato'} {day} {date.year} kl. {start}{until}", "",
                 f"{'Møtested' if vejle else 'Mødested'} {place}", ""]  # fmt: skip
        if self.layout in ("lejre", "aabenraa") or rng.random() < 0.3:
            lines += ["Mødedeltagere " + ", ".join(present), ""]
        return lines, start

    def _toc(self, items: list[SyntheticItem]) -> list[str]:
        vejle, page = self.layout == "vejle", 3
        lines = ["Indholdsfortegnelse", "", *(["| | |", "|--|----|"] if vejle else [])]
        for item in items:
            lines.append(
                f"| {item.title}..... | {page} |" if vejle else f"{item.title}.....\t{page}"
            )
            page += self.rng.randint(1, 3)
        return lines

    def _decision(
        self, status: str, text: str, absent: list[Member], dissent: bool = False
    ) -> tuple[Section, tuple[str, ...], tuple[str, ...]]:
        """The decision section with its absence and dissent lines, and the names they print."""
        rng, label, paragraphs = self.rng, "Beslutning", [text]
        if self.profile.decision_label == "dated":
            label = f"Beslutning {self.committee} den {self.date:%d-%m-%Y}"
        elif self.profile.decision_label == "line":
            paragraphs.insert(0, f"{self.committee}, {self.date:%d.%m.%Y}")
        protest: tuple[str, ...] = ()
        if dissent and self.present:
            name, party = rng.choice(self.present)
            protest = (rng.choice(DISSENTS).format(m=f"{name} ({party})"),)
            paragraphs += protest
        names: tuple[str, ...] = ()
        if absent:
            names = tuple(f"{n} ({p})" for n, p in absent)
            if self.profile.absence == "colon":
                paragraphs.append("Fraværende: " + ", ".join(names))
            elif self.profile.absence == "deltog":
                paragraphs.append(" og ".join(names) + " deltog ikke i behandlingen af punktet.")
            else:
                names = tuple(n for n, _ in absent)
                paragraphs.append(" og ".join(names) + " var fraværende under dette punkt.")
        return (label, paragraphs), names, protest

    def _decided(
        self, title: str, sections: list[Section], status: str, text: str, absent: list[Member]
    ) -> _Built:
        decision, names, _ = self._decision(status, text, absent)
        ordered = [decision, *sections] if self.layout == "lejre" else [*sections, decision]
        return _Built(title, ordered, status, names)

    def _standing(self, key: str, absent: list[Member], number: int) -> _Built:
        """The items every meeting has, in the words each system uses for them."""
        rng, layout, udv = self.rng, self.layout, self.committee
        if key == "lukket":
            return _Built(rng.choice(CLOSED), closed=True)
        sections = [("Forventet sagsgang", [f"{_code(udv)}."])] if layout == "mariagerfjord" else []
        if key == "dagsorden":
            if layout == "mariagerfjord":
                intro = f"Direktøren for {self.profile.office} indstiller til {udv}:"
                sections.append(("Indstilling", [intro, "1. At dagsordenen godkendes."]))
            elif layout != "lejre" and rng.random() < 0.4:
                sections.append(("Indstilling", ["Dagsordenen forelægges til godkendelse."]))
            texts = ["Godkendt.", "Dagsordenen blev godkendt.", "Godkendt med den ændring, at "
                     f"punkt {number + 2} behandles før punkt {number + 1}."]  # fmt: skip
            text = rng.choice(texts[: 2 + (self.slot.count >= 4)])
            return self._decided("Godkendelse af dagsorden", sections, "godkendt", text, absent)
        if key == "meddelelser":
            title = rng.choice(
                (
                    "Meddelelser",
                    "Meddelelser fra formanden, medlemmer m.fl.",
                    "Orientering",
                    "Orientering fra formanden og forvaltningen",
                )
            )
            news = rng.sample(
                [m for m in MESSAGES if self.job or not m.startswith("j:")], rng.randint(1, 3)
            )
            fill = self.values().fill
            sections.append(("Sagsfremstilling", ["\n".join(f"- {fill(m)}" for m in news)]))
            if rng.random() < 0.2:
                return self._decided(title, sections, "", "Ingen bemærkninger.", absent)
            status = "taget til efterretning"
            return self._decided(title, sections, status, rng.choice(DECISIONS[status]), absent)
        if key == "eventuelt":
            text = rng.choice(("Intet.", "Intet at bemærke.", "Intet under dette punkt."))
            return self._decided("Eventuelt", sections, "", text, absent)
        # The last item: how each system has the minutes signed.
        if layout == "lejre":
            return _Built("Godkendelse af referat")
        if layout == "mariagerfjord":
            return _Built("Lukket: Underskriftsark", closed=True)
        if layout == "vejle":
            note = "Beslutningsprotokollen underskrives digitalt ved at trykke på godkend."
            title = f"Beslutningsprotokol til digital godkendelse af {udv}"
            return self._decided(title, [("Resume", [note])], "godkendt",
                                 "Beslutningsprotokol godkendt.", absent)  # fmt: skip
        if layout == "aabenraa":
            note = 'For at godkende beslutningsprotokollen skal hvert medlem trykke på "Godkend".'
            return _Built("Underskriftsside", [("Sagsfremstilling", [note])])
        if rng.random() < 0.5:
            return _Built("Underskriftsark", [("Bilag", [f"Underskriftsark {self.date:%d-%m-%Y}"])])
        return self._decided("Godkendelse af referat", sections, "godkendt", "Godkendt.", absent)

    def _case_item(self, topic: Topic, absent: list[Member]) -> _Built:
        """A case of 80-220 words: resume, text, maybe economy, recommendation and decision."""
        rng, profile, values = self.rng, self.profile, self.values()
        fill = values.fill
        kind, title = rng.choice(topic.titles).split(":", 1)
        values["s"] = fill(topic.subject)
        status = "udsat" if rng.random() < 0.05 else STATUS_OF_KIND[kind]
        dissent = kind in "ga" and status != "udsat" and rng.random() < 0.12
        decision, names, protest = self._decision(
            status, fill(rng.choice(DECISIONS[status])), absent, dissent
        )
        resume, recommend = fill(rng.choice(topic.resume)), fill(rng.choice(RECOMMEND[kind]))
        economy = [fill(rng.choice(topic.economy))] if topic.economy and rng.random() < 0.5 else []
        bullets: list[str] = []
        if topic.bullets and rng.random() < 0.5:
            picked = sorted(
                rng.sample(range(1, len(topic.bullets)), rng.randint(3, len(topic.bullets) - 1))
            )
            bullets = [topic.bullets[0], "\n".join(fill(topic.bullets[i]) for i in picked)]
        words = sum(len(p.split()) for p in [resume, recommend, *economy, *bullets, *decision[1]])
        target = rng.randint(80, 220)
        kept = [s for s in topic.body if rng.random() < 0.85]
        # Skipped sentences and shared ones only when the kept ones fall short of the target.
        spare = [s for s in topic.body if s not in kept] + rng.sample(self.shared, len(self.shared))
        sentences: list[str] = []
        for template in kept + spare:
            sentence = fill(template)
            if words >= target:
                break
            if words + len(sentence.split()) <= 220:
                sentences.append(sentence)
                words += len(sentence.split())
                if template in self.shared:
                    self.shared.remove(template)  # a shared sentence once per meeting
        text: list[str] = []
        while sentences:
            size = rng.randint(1, 3)
            text.append(" ".join(sentences[:size]))
            sentences = sentences[size:]
        text[1:1] = bullets
        econ_label = rng.choice(("Økonomi", "Økonomi og afledt drift", "Økonomiske konsekvenser"))
        econ = [(econ_label, economy)] if economy else []
        attachment = []
        if rng.random() < 0.2:
            label = "Vedlegg" if self.layout == "vejle" else "Bilag"
            attachment = [(label, [f"{fill(title)} - bilag {rng.randint(1, 4)}"])]
        office, udv = f"Direktøren for {profile.office}", self.committee
        sections = {
            "mariagerfjord": [("Forventet sagsgang", [f"{_code(udv)}."]), ("Anledning", [resume]),
                              ("Indstilling", [f"{office} indstiller til {udv}:",
                                               f"1. {recommend[0].upper()}{recommend[1:]}"]),
                              ("Sagsfremstilling", text), *econ, decision],
            "lejre": [decision, ("Resumé", [resume]),
                      ("Indstilling", ["Direktionen indstiller:", f"1. {recommend}"]),
                      ("Beslutningskompetence", [udv]), ("Sagsfremstilling", text), *econ],
            "aabenraa": [("Sagsfremstilling", [resume, *text]), *econ,
                         ("Sagen afgøres i", [f"{udv}."]),
                         ("Indstilling", [f"{profile.office} indstiller,", recommend]), decision],
            "vejle": [("Resume", [resume]), ("Sagsfremstilling", text), *econ,
                      ("Klima og resiliensvurdering", ["Ingen bemærkninger."]),
                      (f"{office} indstiller", [recommend]), decision],
            "standard": [(profile.resume_label, [resume]), ("Sagsfremstilling", text), *econ,
                         ("Indstilling", [f"{rng.choice(('Administrationen', 'Forvaltningen'))} "
                                          f"indstiller, {recommend}"]), decision],
        }[self.layout]  # fmt: skip
        return _Built(fill(title), sections + attachment, status, names, protest)
