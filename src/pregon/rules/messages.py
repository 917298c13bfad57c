"""The words the package composes itself, in the four languages: explanations of decisions
and adjustments (with ``{placeholders}`` filled by `Text.format`) and the labels of
`pregon rules`. The packs' own texts are in their TOML files."""

from __future__ import annotations

from pregon.rules.model import Text

# --- decisions -----------------------------------------------------------------------------
NOT_RESERVED = Text(
    en="No rule of this pack reserves this lot.",
    es="Ninguna regla de este paquete reserva este lote.",
    pt="Nenhuma regra deste pacote reserva este lote.",
    fr="Aucune règle de ce paquet ne réserve ce lot.",
)
OVER_CEILING = Text(
    en="The lot's estimated value, {value}, exceeds {limit}: no benefit for smaller firms applies ({basis}).",
    es="El valor estimado del lote, {value}, supera {limit}: no se aplica ningún beneficio para empresas pequeñas ({basis}).",
    pt="O valor estimado do lote, {value}, supera {limit}: nenhum benefício para empresas menores se aplica ({basis}).",
    fr="La valeur estimée du lot, {value}, dépasse {limit} : aucun avantage pour les petites entreprises ne s'applique ({basis}).",
)
REQUESTS_MET = Text(
    en="Eligible suppliers who asked for it: {requests} ({needed} needed); the call is limited.",
    es="Proveedores elegibles que lo solicitaron: {requests} (se necesitan {needed}); la convocatoria se limita.",
    pt="Fornecedores elegíveis que o solicitaram: {requests} ({needed} necessários); a chamada é limitada.",
    fr="Fournisseurs éligibles qui l'ont demandé : {requests} ({needed} nécessaires) ; l'appel est limité.",
)
REQUESTS_PENDING = Text(
    en="Eligible suppliers who asked for it so far: {requests}; the call is limited once {needed} do.",
    es="Proveedores elegibles que lo han solicitado: {requests}; la convocatoria se limita cuando lo hagan {needed}.",
    pt="Fornecedores elegíveis que o solicitaram até agora: {requests}; a chamada é limitada quando {needed} o fizerem.",
    fr="Fournisseurs éligibles qui l'ont demandé jusqu'ici : {requests} ; l'appel est limité dès que {needed} le font.",
)
RULE_OF_TWO_UNKNOWN = Text(
    en="No market research says otherwise: the set-aside stands unless fewer than {needed} eligible firms are expected to offer.",
    es="Ningún estudio de mercado dice lo contrario: la reserva se mantiene salvo que se esperen menos de {needed} firmas elegibles.",
    pt="Nenhuma pesquisa de mercado diz o contrário: a reserva vale, salvo se forem esperadas menos de {needed} empresas elegíveis.",
    fr="Aucune étude de marché ne dit le contraire : la réservation s'applique sauf si moins de {needed} entreprises éligibles sont attendues.",
)
RULE_OF_TWO_MET = Text(
    en="Eligible firms expected to offer at a fair price: {expected} ({needed} needed); the set-aside applies.",
    es="Firmas elegibles que se espera ofrezcan a un precio justo: {expected} (se necesitan {needed}); la reserva se aplica.",
    pt="Empresas elegíveis que devem ofertar a preço justo: {expected} ({needed} necessárias); a reserva se aplica.",
    fr="Entreprises éligibles attendues à un prix équitable : {expected} ({needed} nécessaires) ; la réservation s'applique.",
)
RULE_OF_TWO_NOT_MET = Text(
    en="Eligible firms expected to offer at a fair price: {expected}, fewer than {needed}; no set-aside.",
    es="Firmas elegibles que se espera ofrezcan a un precio justo: {expected}, menos de {needed}; no hay reserva.",
    pt="Empresas elegíveis que devem ofertar a preço justo: {expected}, menos de {needed}; não há reserva.",
    fr="Entreprises éligibles attendues à un prix équitable : {expected}, moins de {needed} ; pas de réservation.",
)

# --- adjustments ---------------------------------------------------------------------------
MARGIN_APPLIED = Text(
    en="{rule} ({basis}): the prices of the bids without this preference ({bids}) are evaluated {percent}% higher; this puts ahead of them: {promoted}.",
    es="{rule} ({basis}): los precios de las ofertas sin esta preferencia ({bids}) se evalúan un {percent} % más altos; esto pone delante: {promoted}.",
    pt="{rule} ({basis}): os preços das propostas sem esta preferência ({bids}) são avaliados {percent}% mais altos; isto põe à frente: {promoted}.",
    fr="{rule} ({basis}) : les prix des offres sans cette préférence ({bids}) sont évalués {percent} % plus haut ; cela fait passer devant : {promoted}.",
)
TIE_DECLARED = Text(
    en="{rule} ({basis}): bids {bids}, from eligible smaller firms, are at most {percent}% above the best offer, bid {best} at {best_price}: they count as tied with it.",
    es="{rule} ({basis}): las ofertas {bids}, de empresas pequeñas elegibles, están como máximo un {percent} % por encima de la mejor oferta, la {best} a {best_price}: se consideran empatadas con ella.",
    pt="{rule} ({basis}): as propostas {bids}, de empresas menores elegíveis, estão no máximo {percent}% acima da melhor oferta, a {best} a {best_price}: são consideradas empatadas com ela.",
    fr="{rule} ({basis}) : les offres {bids}, de petites entreprises éligibles, sont au plus {percent} % au-dessus de la meilleure offre, {best} à {best_price} : elles sont réputées à égalité avec elle.",
)
COVER_OFFERED = Text(
    en="{rule} ({basis}): bid {bid}, the best-placed eligible smaller firm at {price}, may cover the best offer with a price below {best_price}{deadline}.",
    es="{rule} ({basis}): la oferta {bid}, la empresa pequeña elegible mejor ubicada a {price}, puede cubrir la mejor oferta con un precio inferior a {best_price}{deadline}.",
    pt="{rule} ({basis}): a proposta {bid}, a empresa menor elegível mais bem classificada a {price}, pode cobrir a melhor oferta com preço inferior a {best_price}{deadline}.",
    fr="{rule} ({basis}) : l'offre {bid}, la petite entreprise éligible la mieux classée à {price}, peut couvrir la meilleure offre par un prix inférieur à {best_price}{deadline}.",
)
COVER_DEADLINE_MINUTES = Text(
    en=", within {minutes} minutes",
    es=", en {minutes} minutos",
    pt=", em {minutes} minutos",
    fr=", sous {minutes} minutes",
)
COVER_DEADLINE_DAYS = Text(
    en=", within {days} days",
    es=", en {days} días",
    pt=", em {days} dias",
    fr=", sous {days} jours",
)
COVER_DEADLINE_NOTICE = Text(
    en=", by the deadline the notice sets",
    es=", en el plazo que fija el aviso",
    pt=", no prazo fixado no edital",
    fr=", dans le délai fixé par l'avis",
)
COVER_RECEIVED = Text(
    en="{rule} ({basis}): bid {bid} covered the best offer, bid {best} at {best_price}, with {price}, and is now first, ahead of {passed}.",
    es="{rule} ({basis}): la oferta {bid} cubrió la mejor oferta, la {best} a {best_price}, con {price} y ahora es la primera, delante de {passed}.",
    pt="{rule} ({basis}): a proposta {bid} cobriu a melhor oferta, a {best} a {best_price}, com {price} e agora é a primeira, à frente de {passed}.",
    fr="{rule} ({basis}) : l'offre {bid} a couvert la meilleure offre, {best} à {best_price}, avec {price} et passe en tête, devant {passed}.",
)
COVER_PASSED = Text(
    en="{rule} ({basis}): bid {bid} did not cover the best offer; the ranking stands.",
    es="{rule} ({basis}): la oferta {bid} no cubrió la mejor oferta; la clasificación se mantiene.",
    pt="{rule} ({basis}): a proposta {bid} não cobriu a melhor oferta; a classificação se mantém.",
    fr="{rule} ({basis}) : l'offre {bid} n'a pas couvert la meilleure offre ; le classement est maintenu.",
)
TIE_BROKEN = Text(
    en='{rule} ({basis}): tied bids {bids}; the factor "{factor}" puts first: {winners}.',
    es="{rule} ({basis}): ofertas empatadas {bids}; el factor «{factor}» pone primero: {winners}.",
    pt="{rule} ({basis}): propostas empatadas {bids}; o critério «{factor}» põe em primeiro: {winners}.",
    fr="{rule} ({basis}) : offres à égalité {bids} ; le critère « {factor} » place en tête : {winners}.",
)
DRAW = Text(
    en='{rule} ({basis}): bids {bids} remain tied after every factor; the draw gives the order {order}: each bid\'s lot is the SHA-256 of "{seed}:<bid id>", lowest first, so anyone can repeat it.',
    es='{rule} ({basis}): las ofertas {bids} siguen empatadas tras todos los factores; el sorteo da el orden {order}: la suerte de cada oferta es el SHA-256 de "{seed}:<id de la oferta>", de menor a mayor, así cualquiera puede repetirlo.',
    pt='{rule} ({basis}): as propostas {bids} seguem empatadas após todos os critérios; o sorteio dá a ordem {order}: a sorte de cada proposta é o SHA-256 de "{seed}:<id da proposta>", do menor para o maior, e qualquer um pode repeti-lo.',
    fr="{rule} ({basis}) : les offres {bids} restent à égalité après tous les critères ; le tirage au sort donne l'ordre {order} : le sort de chaque offre est le SHA-256 de « {seed}:<id de l'offre> », du plus petit au plus grand, et chacun peut le refaire.",
)

# --- pregon rules ---------------------------------------------------------------------------
LIST_HEADER = Text(
    en="Rule packs (code@version, in force from, currency, name):",
    es="Paquetes de reglas (código@versión, vigente desde, moneda, nombre):",
    pt="Pacotes de regras (código@versão, em vigor desde, moeda, nome):",
    fr="Paquets de règles (code@version, en vigueur depuis, monnaie, nom) :",
)
SHOW_HEADER = Text(
    en="{ref} — {name}; in force from {date}; currency {currency}.",
    es="{ref} — {name}; vigente desde {date}; moneda {currency}.",
    pt="{ref} — {name}; em vigor desde {date}; moeda {currency}.",
    fr="{ref} — {name} ; en vigueur depuis le {date} ; monnaie {currency}.",
)
LEGAL_BASIS = Text(en="Legal basis:", es="Base legal:", pt="Base legal:", fr="Base légale :")
EFFECTIVE_FROM = Text(
    en="In force from:", es="Vigente desde:", pt="Em vigor desde:", fr="En vigueur depuis le"
)
NEUTRAL_DEFAULT = Text(
    en="neutral default, no law",
    es="valor neutro por defecto, sin ley",
    pt="padrão neutro, sem lei",
    fr="valeur neutre par défaut, sans loi",
)
BAD_PACKS = Text(
    en="The rule packs cannot be read: {error}. Correct the file, or unset PREGON_RULE_PACKS_DIR (docs/rule-packs.md).",
    es="No se pueden leer los paquetes de reglas: {error}. Corrija el archivo, o quite PREGON_RULE_PACKS_DIR (docs/rule-packs.md).",
    pt="Não é possível ler os pacotes de regras: {error}. Corrija o arquivo, ou remova PREGON_RULE_PACKS_DIR (docs/rule-packs.md).",
    fr="Les paquets de règles ne peuvent pas être lus\u00a0: {error}. Corrigez le fichier, ou retirez PREGON_RULE_PACKS_DIR (docs/rule-packs.md).",
)
UNKNOWN_PACK = Text(
    en="No rule pack {code} (or no version of it in force on that day). See `pregon rules list`.",
    es="No hay paquete de reglas {code} (o ninguna versión vigente ese día). Vea `pregon rules list`.",
    pt="Não há pacote de regras {code} (ou nenhuma versão em vigor nesse dia). Veja `pregon rules list`.",
    fr="Aucun paquet de règles {code} (ou aucune version en vigueur ce jour-là). Voir `pregon rules list`.",
)
