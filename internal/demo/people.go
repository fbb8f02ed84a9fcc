package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/funza-tic/mesa/internal/procedure"
)

// person is someone who works at the alcaldía and files requests.
type person struct {
	Name, Email, Phone string
	Dependencia        string
	Building           string
	Weight             int // some people ask for help far more often than others
}

var (
	firstNames = []string{"José", "María José", "Ángela", "Sebastián", "Andrés", "Mónica", "Héctor", "Nicolás",
		"Lucía", "Jesús", "Ramón", "Inés", "Julián", "Verónica", "Sofía", "Camila", "Valentina", "Germán",
		"Rubén", "Iván", "Yolanda", "Gloria", "Nubia", "Edwin", "Wilson", "Liliana", "Sandra", "Jairo",
		"Óscar", "Martín", "Adriana", "Fabián", "Cristián", "Leidy", "Yésica", "Efraín", "Dayana", "Álvaro"}
	surnames = []string{"Núñez", "Muñoz", "Rodríguez", "Gómez", "Martínez", "Peña", "Suárez", "Hernández",
		"Ramírez", "López", "Sánchez", "Díaz", "Pérez", "Castaño", "Ibáñez", "Ordóñez", "Gutiérrez",
		"Álvarez", "Jiménez", "Vásquez", "Cárdenas", "Galindo", "Rincón", "Forero", "Bermúdez", "Páez",
		"Córdoba", "Ávila", "Acuña", "Cortés", "Garzón", "Pinzón", "Morales", "Rojas", "Beltrán", "Chávez"}
)

// newPeople makes the office's staff: n people spread over the buildings in
// proportion to their size, with unique institutional addresses.
func newPeople(r *rand.Rand, n int) []person {
	var out []person
	seen := map[string]bool{}
	for _, a := range agents {
		seen[a.Email] = true
	}
	total := 0
	for _, b := range buildings {
		total += b.Weight
	}
	for len(out) < n {
		b := pickBuilding(r, total)
		first := firstNames[r.IntN(len(firstNames))]
		s1, s2 := surnames[r.IntN(len(surnames))], surnames[r.IntN(len(surnames))]
		name := first + " " + s1
		if r.IntN(3) > 0 && s1 != s2 {
			name += " " + s2
		}
		local := mailLocal(strings.Fields(first)[0] + " " + s1)
		for i := 2; seen[local]; i++ {
			local = fmt.Sprintf("%s%d", mailLocal(strings.Fields(first)[0]+" "+s1), i)
		}
		seen[local] = true
		phone := fmt.Sprintf("601 826 4%03d ext. %d", r.IntN(1000), 100+r.IntN(400))
		if r.IntN(4) == 0 {
			phone = fmt.Sprintf("31%d %03d %04d", r.IntN(10), r.IntN(1000), r.IntN(10000))
		}
		weight := 1 + r.IntN(3)
		if r.IntN(8) == 0 {
			weight = 6 // the colleague who calls the help desk every week
		}
		out = append(out, person{Name: name, Email: local + "@" + domain, Phone: phone,
			Dependencia: b.Dependencias[r.IntN(len(b.Dependencias))], Building: b.Name, Weight: weight})
	}
	return out
}

func pickBuilding(r *rand.Rand, total int) building {
	n := r.IntN(total)
	for _, b := range buildings {
		if n < b.Weight {
			return b
		}
		n -= b.Weight
	}
	return buildings[0]
}

// mailLocal turns "José Núñez" into "jose.nunez".
func mailLocal(name string) string {
	return strings.ReplaceAll(procedure.Norm(name), " ", ".")
}

// request is one Solicitudes response the demo submits.
type request struct {
	At          time.Time
	Who         person
	Service     service
	Description string
}

// descriptions are what people write, by service.
var descriptions = map[string][]string{
	"Soporte de hardware": {
		"El computador no enciende, solo prende la luz del botón y se apaga.",
		"El equipo está muy lento y se reinicia solo varias veces al día.",
		"El monitor parpadea y a ratos se pone en negro.",
		"El teclado tiene varias teclas que no funcionan (la A y la barra espaciadora).",
		"El mouse no responde; ya cambié el puerto USB y sigue igual.",
		"El portátil no carga la batería aunque el cargador está conectado.",
		"Sale un pantallazo azul al encender el equipo.",
		"El equipo hace un ruido fuerte, parece que es el ventilador.",
		"La UPS de la oficina pita constantemente y se apagó el equipo.",
	},
	"Soporte de software": {
		"No puedo abrir archivos de Excel, sale un error de licencia de Office.",
		"El Outlook no sincroniza y no me llegan los correos desde ayer.",
		"El antivirus muestra una alerta de amenaza en una memoria USB.",
		"Windows está pidiendo actualizar y no deja trabajar.",
		"El navegador Chrome se cierra apenas se abre.",
		"No puedo firmar documentos PDF con la firma digital.",
		"El Word se bloquea cada vez que intento guardar un documento.",
		"Se me olvidó la contraseña del equipo y quedó bloqueado.",
	},
	"Impresoras y escáneres": {
		"La impresora del segundo piso no imprime; los documentos quedan en cola.",
		"La impresora saca las hojas manchadas y con rayas.",
		"El escáner no envía los documentos escaneados al correo.",
		"Se necesita cambio de tóner para la impresora de la oficina.",
		"La multifuncional dice «atasco de papel» pero no hay papel atascado.",
		"No aparece la impresora de red en mi equipo después del cambio de puesto.",
		"El escáner de la ventanilla de radicación no prende.",
		"La impresora del primer piso imprime las hojas en blanco.",
	},
	"Instalación de software": {
		"Solicito instalación de ArcGIS para el equipo de ordenamiento territorial.",
		"Solicito instalación de AutoCAD para la revisión de planos de licencias de construcción.",
		"Requiero la instalación del certificado de firma digital en mi equipo.",
		"Solicito instalar Zoom para las audiencias virtuales.",
		"Necesito que instalen el aplicativo de nómina en el equipo nuevo.",
		"Solicito instalación de Microsoft Project para el seguimiento del plan de acción.",
		"Solicito instalación de SPSS para el análisis de la encuesta de salud pública.",
	},
	"Sistemas de información": {
		"No puedo ingresar al sistema de correspondencia; dice usuario o contraseña inválidos.",
		"El aplicativo de impuesto predial no genera la factura para el contribuyente.",
		"El sistema de gestión documental no deja cargar archivos de más de 5 MB.",
		"No puedo ingresar a SECOP II desde el equipo de la oficina.",
		"El módulo de presupuesto muestra un error al generar el CDP.",
		"El aplicativo del SISBÉN no carga la encuesta del hogar.",
	},
	"Traslado de equipos": {
		"Solicito traslado del equipo de cómputo y el teléfono a la oficina 204 por cambio de puesto.",
		"Se requiere un puesto de trabajo nuevo para una contratista que ingresa el lunes.",
		"Solicito trasladar dos equipos a la sala de juntas para la jornada de capacitación.",
	},
	"Redes": {
		"No hay internet en toda la oficina desde esta mañana.",
		"El wifi de la sala de juntas no conecta.",
		"El punto de red de mi puesto no funciona; el cable está conectado.",
		"El internet está muy lento, las páginas no cargan.",
		"No puedo acceder a las carpetas compartidas de la red.",
		"Se requiere un punto de red nuevo para la impresora.",
	},
	"Telefonía": {
		"Mi extensión no tiene tono.",
		"El teléfono IP se reinicia solo y no deja hacer llamadas.",
		"No puedo hacer llamadas a celulares desde la extensión.",
		"Solicito desviar mi extensión al celular mientras estoy en trabajo de campo.",
		"El teléfono de la ventanilla de atención al ciudadano no timbra.",
	},
	"Cuentas de correo": {
		"No tengo acceso al correo institucional; dice que la contraseña es incorrecta.",
		"Solicito creación de cuenta de correo institucional para un funcionario nuevo.",
		"Mi buzón de correo está lleno y no me deja enviar mensajes.",
		"Solicito desactivar la cuenta de correo de una contratista que terminó su contrato.",
		"Necesito acceso al correo compartido de la dependencia.",
		"Se bloqueó mi cuenta por la verificación en dos pasos; cambié de celular.",
	},
	"Copias de seguridad": {
		"Solicito copia de seguridad de mi equipo antes del cambio de computador.",
		"Necesito recuperar un archivo de Excel que se borró ayer de la carpeta compartida.",
		"Solicito programar la copia de seguridad mensual de la información de la dependencia.",
		"Se requiere copia de seguridad de los expedientes escaneados antes del formateo.",
	},
}

var (
	openers = []string{"", "", "", "Buenos días, ", "Buenas tardes, ", "Cordial saludo. "}
	closers = []string{"", "", "", " Gracias.", " Quedo pendiente.", " Es urgente, tengo que radicar hoy.", " Agradezco su pronta colaboración."}
)

func describe(r *rand.Rand, s service) string {
	d := pick(r, descriptions[s.Type])
	o := pick(r, openers)
	if strings.HasSuffix(o, ", ") {
		d = lowerFirst(d)
	}
	return o + d + pick(r, closers)
}

func lowerFirst(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	if strings.HasPrefix(s, "El ") || strings.HasPrefix(s, "La ") || strings.HasPrefix(s, "Mi ") ||
		strings.HasPrefix(s, "No ") || strings.HasPrefix(s, "Se ") || strings.HasPrefix(s, "Solicito") ||
		strings.HasPrefix(s, "Necesito") || strings.HasPrefix(s, "Requiero") || strings.HasPrefix(s, "Sale") {
		return string(unicode.ToLower(c)) + s[n:]
	}
	return s
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// dayWeight: more requests on Mondays, fewer on Fridays.
var dayWeight = map[time.Weekday]int{time.Monday: 16, time.Tuesday: 11, time.Wednesday: 10, time.Thursday: 10, time.Friday: 8}

// hourWeight spreads requests over the office day, 07:30 to 17:00, with the
// morning peak and the lunch dip.
var hourWeight = []struct {
	from   time.Duration // since midnight
	weight int
}{
	{7*time.Hour + 30*time.Minute, 3}, {8 * time.Hour, 14}, {9 * time.Hour, 15}, {10 * time.Hour, 13},
	{11 * time.Hour, 10}, {12 * time.Hour, 4}, {13 * time.Hour, 7}, {14 * time.Hour, 12}, {15 * time.Hour, 10}, {16 * time.Hour, 7},
}

func bucketEnd(i int) time.Duration {
	if i+1 < len(hourWeight) {
		return hourWeight[i+1].from
	}
	return 17 * time.Hour
}

// newRequests spreads n requests over the days (business days at 00:00),
// at office times, oldest first, each at a distinct second.
func newRequests(r *rand.Rand, n int, days []time.Time, staff []person) []request {
	dayTotal, hourTotal, staffTotal, svcTotal := 0, 0, 0, 0
	for _, d := range days {
		dayTotal += dayWeight[d.Weekday()]
	}
	for _, h := range hourWeight {
		hourTotal += h.weight
	}
	for _, p := range staff {
		staffTotal += p.Weight
	}
	for _, s := range catalog {
		svcTotal += s.Weight
	}
	out := make([]request, 0, n)
	used := map[time.Time]bool{}
	for len(out) < n {
		day := days[weighted(r, dayTotal, len(days), func(i int) int { return dayWeight[days[i].Weekday()] })]
		h := weighted(r, hourTotal, len(hourWeight), func(i int) int { return hourWeight[i].weight })
		span := bucketEnd(h) - hourWeight[h].from
		at := day.Add(hourWeight[h].from + time.Duration(r.Int64N(int64(span/time.Second)))*time.Second)
		if used[at] {
			continue
		}
		used[at] = true
		who := staff[weighted(r, staffTotal, len(staff), func(i int) int { return staff[i].Weight })]
		svc := catalog[weighted(r, svcTotal, len(catalog), func(i int) int { return catalog[i].Weight })]
		out = append(out, request{At: at, Who: who, Service: svc, Description: describe(r, svc)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// weighted draws an index in [0, n) with the given weights summing to total.
func weighted(r *rand.Rand, total, n int, weight func(int) int) int {
	x := r.IntN(total)
	for i := range n {
		if x < weight(i) {
			return i
		}
		x -= weight(i)
	}
	return n - 1
}
