"""Starter pages loaded by `manage.py load_starter_content`; written in the network's own words.

Each entry gives the page's path and the fields that differ from the Page model's
defaults (shown in the menu, accepting feedback, no epigraph).
"""

# The study the pages mention as the start of the research (Berman et al., Yale).
# No reviewer is named for any starter page: none has been medically reviewed yet.
YALE_2000_STUDY = {
    "title": "Antidepressant effects of ketamine in depressed patients",
    "publisher": "Biological Psychiatry",
    "year": 2000,
    "url": "https://doi.org/10.1016/S0006-3223(99)00230-9",
}

PAGES: list[dict] = [
    {
        "path": "introduction",
        "sources": [YALE_2000_STUDY],
        "title": "Introduction to Ketamine Therapy",
        "summary": "A patient-led guide to ketamine treatment for treatment-resistant depression, bipolar depression and PTSD, and how the research began.",
        "position": 10,
        "is_home": True,
        "epigraph_quote": "Recent data suggest that ketamine, given intravenously, might be the most important breakthrough in antidepressant treatment in decades.",
        "epigraph_person": "Thomas Insel",
        "epigraph_role": "Director, National Institute of Mental Health",
        "byline": "Written by the network's patient volunteers",
        "body": """\
## Who this site is for

Treatment-resistant major depression, bipolar depression and PTSD (post-traumatic stress disorder) are serious medical conditions. From the outside they are often mistaken for sadness or a lack of willpower, yet many people living with them also carry heavy physical symptoms: exhaustion, broken sleep, slowed thinking and a body that feels weighed down. Together these can make work, study and family life very hard.

We are a network of patients who have lived with these illnesses for years. When we write "depression" on this site we do not mean a low mood after a hard week or a painful life event. We mean major depressive illness that has not lifted despite repeated, genuine attempts at treatment with medication and therapy. The same goes for bipolar disorder and PTSD: our focus is on people for whom the usual options have not been enough.

If that describes you, these pages are written for you, and for the family, friends and clinicians who support you. Nothing here replaces a conversation with a qualified clinician, who is the right person to decide with you whether ketamine treatment is appropriate. If you are struggling to stay safe right now, please go to [If You Are in Crisis](/crisis-resources/) first.

## What the Learn section covers

The [Learn](/learn/) menu gathers our main explanations:

- [Route of Administration](/learn/route-of-administration/): why the way ketamine enters the body matters so much.
- [Cost](/learn/cost/): what treatment typically costs and why insurers often do not pay for it.
- [The Infusion Experience](/learn/infusion-experience/): what a session is usually like, from arrival to going home.
- [The Relief Experience](/learn/relief-experience/): how improvement tends to show up, often quietly, in mood and everyday functioning.
- [Getting the Most Out of Treatment](/learn/getting-the-most-out-of-treatment/): ideas, gathered from patients, for building on a period of relief.
- [Opposition](/learn/opposition/): why drug companies, some researchers and many psychiatrists have resisted wider use.

You can also read our longer [articles](/articles/) on why some psychiatrists prescribe ketamine, on ketamine-assisted psychotherapy, and on the wider debate.

## How the research began

Ketamine is not a new drug. It has served as an anesthetic for around half a century, the World Health Organization counts it among its essential medicines, and doctors in operating rooms everywhere know it well. Its possible value for depression was explored in the 1990s, and in 2000 a team at Yale published the first scientific paper showing that a small dose, given slowly into a vein, could ease depressive symptoms within hours.

Many more studies followed, at Yale and at other respected institutions, among them Harvard, Oxford, Johns Hopkins and Mount Sinai, as well as the National Institutes of Health and the Veterans Administration. The early findings have been repeated a number of times.

Much of this research deliberately enrolled the hardest-to-treat patients: people who had been ill for many years, often decades, frequently since they were children, and who had already tried antidepressants, mood stabilizers, counseling, cognitive behavioral therapy and other approaches without lasting benefit. Studies suggest that roughly 60 to 70 percent of people in this group improve quickly after an infusion.

## Keeping expectations realistic

Those figures are encouraging, but they also mean that a real share of people do not respond. For most of those who do, relief fades after a while and further treatment may be needed. Long-term effects are still being studied, and ketamine itself is not approved by the US Food and Drug Administration (FDA) for depression, although doctors may legally prescribe it off label. Throughout this site we try to say plainly what is known, what is uncertain, and where your own clinician's judgment should come first.
""",
    },
    {
        "path": "learn",
        "title": "Learn",
        "summary": "An overview of our Learn pages: how ketamine is given, what it costs, what sessions and relief are like, and why it meets resistance.",
        "position": 20,
        "body": """\
These pages explain the basics of ketamine treatment for treatment-resistant depression, bipolar depression and PTSD from a patient's point of view. They are meant to help you prepare good questions for a clinician, not to replace one.

## Topics

- [Route of Administration](/learn/route-of-administration/): intravenous, nasal, injected and oral forms, and why the difference matters.
- [Cost](/learn/cost/): typical fees, and why insurance coverage is so limited.
- [The Infusion Experience](/learn/infusion-experience/): what to expect before, during and after a session.
- [The Relief Experience](/learn/relief-experience/): how improvement often appears and how long it may last.
- [Getting the Most Out of Treatment](/learn/getting-the-most-out-of-treatment/): ways to build on a period of relief.
- [Opposition](/learn/opposition/): why drug companies, some researchers and many psychiatrists are wary of wider use.

If you are new to the subject, reading the pages in this order works well. If you need help right away, please see [If You Are in Crisis](/crisis-resources/).
""",
    },
    {
        "path": "learn/route-of-administration",
        "title": "Route of Administration",
        "summary": "How ketamine can be given (IV infusion, nasal spray, injection or tablets) and why the route may affect how well it works.",
        "position": 10,
        "byline": "Written by the network's patient volunteers",
        "body": """\
## Why the route matters

"Route of administration" simply means how a medicine gets into your body: swallowed as a tablet, sprayed into the nose, injected into a muscle, or dripped into a vein. For many drugs the route is mostly a matter of convenience. For ketamine used against depression, researchers and clinicians think it may make a real difference to the outcome.

Ketamine acts on the brain's glutamate system. While it is being given, it briefly blocks a type of receptor called the NMDA receptor. The current thinking is that this sets off a chain of changes in brain signalling, including the release of a protein that supports the growth of new connections between nerve cells. This process, often called neuroplasticity, is believed to be part of how the antidepressant effect works. Ketamine also dampens inflammation, which may contribute as well, since depression is often linked with chronic inflammation. None of this is fully understood yet.

Because the effect seems to depend on how much ketamine reaches the brain, and how fast, the route can change what the brain actually experiences.

## Intravenous infusion

In a slow intravenous (IV) infusion, a low dose flows through a small line in the arm over a set period, often around 40 minutes. The medicine enters the bloodstream directly, so it is not first broken down by the gut and liver, and the care team can control the rate closely and stop at any moment. Nearly all of the early published research used this method, which is why many clinicians and patients regard IV infusion as the reference standard for ketamine treatment of depression.

## Other routes

- **Nasal spray.** A ketamine-derived nasal spray called esketamine has been approved by the FDA for treatment-resistant depression. It is taken under supervision at a certified treatment center, and patients are observed for a period afterwards.
- **Injection into a muscle.** Some clinics give ketamine as an intramuscular shot. It is quicker to set up than an IV line, but the rate cannot be adjusted once it has been given.
- **Tablets and lozenges.** When ketamine is swallowed or dissolved in the mouth, much of it is processed by the liver before reaching the brain, so the amount that arrives is smaller and harder to predict.

Our founders' experience, and the early research, led us to see IV infusion as the best-studied option. That does not mean other routes never help; some people do benefit from them, and the evidence keeps growing. The fair summary is that the routes are not interchangeable and have been studied to different degrees.

## Questions to ask a clinician

If you are considering treatment, it may help to ask:

- Which route do you use, and why would you recommend it for me?
- How much research supports this route for my condition?
- How will I be monitored during and after each session?
- What happens if I do not respond after the first few treatments?

Decisions about the route, the dose and the schedule belong with a qualified clinician who knows your medical history. Please do not try to obtain or use ketamine outside a medical setting. Costs also differ by route, which we cover on the [Cost](/learn/cost/) page, and [The Infusion Experience](/learn/infusion-experience/) describes what an IV session is usually like.
""",
    },
    {
        "path": "learn/cost",
        "title": "Cost",
        "summary": "What ketamine treatment typically costs in the US, why insurance rarely covers it, and questions to ask a clinic about fees.",
        "position": 20,
        "byline": "Written by the network's patient volunteers",
        "body": """\
## What treatment usually costs

In the United States, a single ketamine infusion has typically been priced at a few hundred dollars, though fees vary widely between clinics and regions. That is broadly in line with other procedures that need an IV line and monitoring of vital signs, such as dialysis, chemotherapy or infusions for rheumatic diseases. The difference is that for those treatments, insurance usually pays most of the bill.

Treatment rarely stops at one session. Many clinics start with a series of infusions spread over a few weeks, and some people later return for occasional maintenance sessions. The total can therefore reach several thousand dollars. There may also be separate charges for a first assessment and for follow-up appointments.

## Why insurance often does not pay

Ketamine was approved by the FDA as an anesthetic in 1970, and the World Health Organization counts it among its essential medicines. It has never been approved specifically for depression. Most insurers therefore treat its use for depression as off label and decline to cover it, even though US doctors are legally allowed to prescribe it that way.

Why has nobody sought approval? Getting the FDA to approve a new use requires large clinical trials, and those are very expensive. Drug companies fund such work for new, patented medicines, expecting to earn the money back through sales. Ketamine's patent ran out long ago; it is cheap to make and sold as a generic. No company can expect to recover the cost of trials on a drug anyone may produce, so the studies that would normally lead to approval and coverage have not been paid for. We look at this further on the [Big Pharma](/learn/opposition/big-pharma/) page.

The picture has shifted a little. Esketamine, a patented nasal spray derived from ketamine, has been approved for treatment-resistant depression, and some insurance plans cover it, usually with conditions attached. Coverage for IV ketamine itself remains uncommon.

## Who this affects most

Years of severe illness often mean lost jobs, reduced hours and drained savings. Many of the people most likely to benefit are the least able to pay out of pocket. In our view, missing insurance coverage is the biggest single barrier keeping this treatment from people who need it.

## Questions to ask a clinic

If you are weighing up treatment, you might ask:

- What does each session cost, and what does that price include?
- Is there a separate fee for the first assessment or for follow-up visits?
- How many sessions do you usually suggest at first, and how do you decide about more?
- Do you offer payment plans, or an itemized receipt I can send to my insurer?
- Can any part of my care, such as the consultation, be billed to insurance?

It is also worth calling your insurer directly to ask what they will and will not reimburse. Please do not let money worries push you toward unsupervised or non-medical sources of ketamine; safety depends on proper screening and monitoring. The [Route of Administration](/learn/route-of-administration/) page explains why the way ketamine is given matters, and a clinician can help you weigh the options against what you can afford.
""",
    },
    {
        "path": "learn/infusion-experience",
        "title": "The Infusion Experience",
        "summary": "What a ketamine infusion session is usually like: the assessment beforehand, common sensations during the infusion, and recovery afterwards.",
        "position": 30,
        "byline": "Written by the network's patient volunteers",
        "body": """\
## Before the first session

Most clinics begin with an assessment. A clinician will usually ask about your mental health history, the treatments you have tried, your physical health, the medicines you take and any history of substance use. Some clinics ask for records from your psychiatrist or family doctor. Certain conditions, such as poorly controlled high blood pressure or a history of psychosis, may mean ketamine is not suitable, which is one reason a careful evaluation matters.

You will normally be told what to do about eating and drinking beforehand, and which of your usual medicines to take that day. Follow your clinic's instructions rather than general advice from the internet, including ours. You will also need someone to take you home afterwards, because you should not drive for the rest of the day.

## During the infusion

Sessions usually take place in a quiet room, often in a reclining chair. A nurse or doctor places a small IV line in your arm or hand and attaches monitors for blood pressure, heart rate and oxygen levels. The infusion itself commonly lasts around 40 minutes, and staff stay close by the whole time.

Ketamine at these low doses is not the same as being put to sleep for surgery. Most people remain awake, but within a few minutes perception begins to shift. People describe:

- feeling detached from their body or surroundings, sometimes like floating;
- changes in the sense of time, with minutes seeming longer or shorter;
- sounds, colors or music seeming different or more vivid;
- dreamlike thoughts or images, sometimes pleasant, sometimes strange;
- numbness, heaviness or tingling.

These effects can feel unusual, especially the first time. Many people find it helps to wear an eye mask, listen to calm music, and remind themselves that the sensations are temporary and that trained staff are watching over them. If anything feels too intense, tell the team: they can adjust or pause the infusion. Some people feel mild nausea or have a temporary rise in blood pressure, which staff watch for and can treat.

## Afterwards

Once the infusion stops, the acute effects usually wear off within minutes, though some people take up to an hour to feel steady. You will typically rest at the clinic until staff are satisfied you are ready to leave. Tiredness, light-headedness or a foggy feeling can linger for a few hours, and most people find it best to spend the rest of the day quietly at home.

It is worth jotting down a few notes the next day about your mood, energy and sleep. Improvement, if it comes, does not always arrive in an obvious way, and notes make it easier to spot and to discuss with your clinician. We say more about this on [The Relief Experience](/learn/relief-experience/) page.

## A word about the sensations

The dissociative feelings during an infusion are a side effect of how the medicine acts, and researchers are still studying whether they are connected to the antidepressant effect. A difficult session does not mean treatment has failed, and a pleasant one does not guarantee benefit. Whatever you experience, talk it through with your care team, who can help you prepare for the next session. Questions about how ketamine is given, and why, are covered on the [Route of Administration](/learn/route-of-administration/) page.
""",
    },
    {
        "path": "learn/relief-experience",
        "title": "The Relief Experience",
        "summary": "How relief from ketamine treatment often shows up, quietly and in daily functioning first, how long it may last, and what to watch for.",
        "position": 40,
        "byline": "Written by the network's patient volunteers",
        "body": """\
## Relief often arrives quietly

People sometimes expect ketamine to work like a switch, with a sudden rush of happiness. For most of those who respond, that is not what happens. Relief tends to appear in small, practical ways first, and it can be easy to miss.

You might notice that getting out of bed takes less effort, that a task you had avoided for weeks suddenly feels manageable, or that you slept through the night. A friend or relative may see a change in your voice or face before you do. Studies suggest that in people who respond, symptoms can begin to ease within hours to a few days after an infusion, rather than the weeks that standard antidepressants usually need.

## Body and mind

Treatment-resistant depression is not only an emotional state. It often brings physical symptoms too: heavy fatigue, slowed movement and thinking, poor concentration, changes in appetite, and aches without a clear cause. Many patients report that these physical burdens lift first, or together with changes in mood. Common descriptions include:

- more energy and less of a leaden feeling in the body;
- clearer thinking and an easier time making decisions;
- fewer looping negative thoughts, or more distance from them;
- renewed interest in people, activities or food;
- a sense that emotions are reachable again, including difficult ones.

Relief does not turn anyone into a different person, and it does not remove life's problems. It may, though, make it possible to face them with more capacity than before.

## How long it lasts

For most people who respond, the benefit fades over time. How long it lasts differs a great deal from one person to the next. Research suggests that a series of infusions usually gives longer relief than a single one, and that younger patients tend to benefit for longer. When symptoms return, further infusions can often bring relief back. Still, data on people treated for more than a year is limited, and nobody yet knows whether repeated treatment keeps working indefinitely.

Not everyone responds. Across studies, a meaningful minority, perhaps around a third, see little or no change. If that happens to you, it says nothing about your effort or your worth; it is information for you and your clinician to use in planning what comes next.

## Keeping track

A short daily record of sleep, energy, mood and activity can help you and your clinician judge whether treatment is helping. Some people use a simple rating from 1 to 10 each evening. If your mood drops sharply, if thoughts of self-harm come back, or if you feel unsafe, contact your clinician promptly or use our [crisis resources](/crisis-resources/) page.

The weeks after a good response can be a valuable opening for change. Our page on [Getting the Most Out of Treatment](/learn/getting-the-most-out-of-treatment/) offers some ideas for using that time well.
""",
    },
    {
        "path": "learn/getting-the-most-out-of-treatment",
        "title": "Getting the Most Out of Treatment",
        "summary": "Ideas, tested by patients, for planning ketamine treatment with your clinician and building on a period of relief.",
        "position": 50,
        "byline": "Written by the network's patient volunteers",
        "body": """\
## Make a plan before you start

Treatment tends to go better when you and your clinician agree in advance on what you hope for and how you will judge progress. Before the first session, it can help to talk through:

- which symptoms matter most to you, such as sleep, energy, concentration or mood;
- how progress will be measured, for example with a standard questionnaire at each visit;
- what will happen if there is no response after the first few sessions;
- what to do if symptoms come back after a period of relief.

Tell your clinician about every medicine and supplement you take. Some medications may interact with ketamine or affect how well it works, but any change to your prescriptions should be made only with your prescriber's guidance. Stopping some psychiatric medicines suddenly can be harmful.

## Use the window of relief

Many patients describe a stretch of time after a good response when old patterns feel less fixed. Thought loops that once seemed impossible to escape may lose some of their grip, and habits that felt set in stone may become workable. Some people manage to make lasting changes during this period, and find that those changes help them cope better even if physical symptoms later return.

Ways people use this window include:

- resuming or starting talk therapy, which some find more productive than before;
- reconnecting with friends or family they had withdrawn from;
- rebuilding simple routines around waking, meals and movement;
- taking small, achievable steps back toward work, study or hobbies;
- writing down what helps and what does not, so the lessons are not lost if symptoms return.

Try to pace yourself. A sudden burst of energy can tempt people to take on too much at once, which can be exhausting. If you live with bipolar disorder, report any sign of elevated mood, reduced need for sleep or racing thoughts to a clinician promptly.

## Look after the basics

Regular sleep, some daily movement, time outdoors and steady meals all support recovery, whatever treatment you receive. Alcohol and recreational drugs can worsen depression and may interfere with your care, so it is wise to discuss them openly with your clinician. Ketamine should only ever be used under medical supervision.

## Build support around you

Recovery is rarely a solo effort. Let someone you trust know that you are starting treatment and what to look out for. Consider a peer support group for depression, bipolar disorder or PTSD. Hearing from others who have been through similar experiences can make the ups and downs feel less isolating and offer practical ideas.

## If relief fades

For most people the benefit eases off over time. This is common and does not mean treatment was pointless. Talk with your clinician about whether further sessions, therapy, other treatments or a combination makes sense for you. If you ever feel unable to keep yourself safe, please go straight to our [crisis resources](/crisis-resources/).

You can read more about combining ketamine with therapy in our article on [ketamine-assisted psychotherapy](/articles/ketamine-assisted-psychotherapy/), and about what improvement can feel like on [The Relief Experience](/learn/relief-experience/) page.
""",
    },
    {
        "path": "learn/opposition",
        "title": "Opposition",
        "summary": "Why wider use of ketamine for depression meets resistance from drug companies, some researchers and many psychiatrists.",
        "position": 60,
        "byline": "Written by the network's patient volunteers",
        "body": """\
## Why a promising treatment meets resistance

If studies suggest ketamine can help many people with the most stubborn forms of depression, why is it not more widely offered? Part of the answer is plain inertia: medicine changes slowly, and new approaches take years to move from research into everyday care. Part is healthy scientific caution. But in our view, part also comes from the fact that large sums of money and professional standing are tied to the way things are done now.

As patients, our interest is straightforward. We want suffering eased, safely and fairly, and we have no stake in which companies or specialties gain. We set out the main sources of resistance here so that you can follow the debate and ask better questions, not so that you will distrust your own clinician.

## Three sources of opposition

We group the resistance into three broad areas, each with its own page:

- [Big Pharma](/learn/opposition/big-pharma/): ketamine is old, cheap and off patent, which gives drug companies little reason to fund the large trials needed for approval, and more reason to develop patented alternatives.
- [Researchers](/learn/opposition/researchers/): some scientists who study ketamine argue that it should not be widely used until more is known about long-term safety and effectiveness, or until more targeted drugs are developed.
- [Psychiatrists](/learn/opposition/psychiatrists/): many psychiatrists remain skeptical, and ketamine challenges long-established ways of understanding, treating and billing for depression.

## Fair concerns and unfair ones

Not all opposition is self-interested, and it would be wrong to claim otherwise. There are real, unanswered questions about ketamine. Nobody yet knows enough about its effects over many years. It can be misused outside medical settings. The experience of an infusion does not suit everyone, and a minority of people do not respond at all. Professional bodies have stressed that it belongs in properly monitored medical settings, and we agree.

What we do question is resistance that rests on habit, on financial incentives, or on an unwillingness to engage with a growing body of research. For people who have tried treatment after treatment without success, waiting for perfect certainty carries its own costs.

## What this means for you

If a clinician advises against ketamine, it is worth asking why. There may be sound medical reasons in your particular case, such as a heart condition, high blood pressure or a history of psychosis. It is also reasonable to ask about the research, to seek a second opinion, or to request a referral to someone experienced in ketamine treatment. Treatment decisions should always be made with a qualified clinician who knows your history.

The pages in this section reflect our views as patients. We have tried to state them fairly, and we welcome corrections through the feedback form on each page. For a wider look at the arguments on both sides, see our article on [the debate around ketamine](/articles/the-ketamine-debate/).
""",
    },
    {
        "path": "learn/opposition/big-pharma",
        "title": "Big Pharma",
        "summary": "Why an old, generic drug like ketamine attracts little drug-company investment, and what that means for approval and insurance.",
        "position": 10,
        "byline": "Written by the network's patient volunteers",
        "body": """\
## A drug no one owns

Ketamine was developed in the 1960s and approved by the FDA as an anesthetic in 1970. Its patent expired decades ago. Today it is made cheaply by several manufacturers, sold as a generic, and listed among the World Health Organization's Essential Medicines.

That history is good news for anesthesia, but it creates a problem for depression care. In the US, a drug generally needs FDA approval for a particular use before insurers will cover it for that use. Winning approval for a new indication means running large, carefully controlled clinical trials, which can cost enormous sums. Pharmaceutical companies take on that expense for patented medicines because they expect to earn it back, and more, while they hold exclusive rights to sell the drug.

No company holds such rights over generic ketamine. Even if demand rose sharply, the profit from selling it would be small and spread among many makers. So the commercial incentive to fund approval trials for ketamine in depression is weak, whatever its potential to ease suffering.

## Patented alternatives

Where a commercial incentive does exist is in new products built on ketamine's effects. The clearest example is esketamine, a nasal spray based on one form of the ketamine molecule. Because it is a new, patented product, a company was willing to pay for the trials, and it is now FDA approved for treatment-resistant depression. Other companies are working on drugs that aim to trigger similar changes in the brain.

These developments may well help patients, and we welcome any safe, effective treatment. But they also show how the system works: investment flows toward what can be owned, and a cheap, well-understood generic can be left without a sponsor even when studies suggest it helps.

## Competing with existing medicines

Antidepressants are very widely used; nearly one in ten Americans takes one. Yet research suggests they bring remission for only about 30 to 50 percent of people, and they usually take weeks or months to work. Many people with treatment-resistant illness spend years on several medicines at once. A fast-acting generic treatment, used in courses rather than daily, could over time reduce reliance on some long-term prescriptions. We are not suggesting that any company acts improperly, but it is fair to note that current business models do not reward this kind of change.

## What this means for patients

The main effect is financial. Without an approved indication, IV ketamine for depression is usually not covered by insurance, and patients pay themselves. Our [Cost](/learn/cost/) page explains this in more detail. Doctors in the US can still prescribe ketamine off label, which is legal and common in medicine, and many do.

If cost is a barrier for you, it is worth asking a clinician whether an approved option such as esketamine might be suitable and covered by your plan. The right choice depends on your health, your history and the evidence for each option, and it is one to make with a qualified clinician. For the other sources of resistance, return to the [Opposition](/learn/opposition/) overview.
""",
    },
    {
        "path": "learn/opposition/researchers",
        "title": "Researchers",
        "summary": "Why some scientists who study ketamine urge caution about its wider use, and how we weigh their concerns as patients.",
        "position": 20,
        "byline": "Written by the network's patient volunteers",
        "body": """\
## A surprising source of caution

It may seem odd that some of the strongest calls for caution about ketamine come from the scientists who study it. Yet that is the case. Researchers at major universities and government institutes have confirmed, in study after study, that ketamine can bring rapid relief to many people with treatment-resistant depression. Some of those same researchers argue that it should not yet be widely used outside clinical trials.

Their reasons deserve a fair hearing, even where we reach a different conclusion.

## The case for caution

Researchers who urge restraint tend to raise several points:

- **Long-term effects.** Most studies followed patients for weeks or months. Relatively few people have been treated for more than a year, and the effects of repeated treatment over many years are not fully understood.
- **Durability.** For most responders, relief fades, and it is not yet clear how best to maintain it or whether repeated infusions keep working indefinitely.
- **Misuse.** Ketamine is also used recreationally, and heavy, frequent use has been linked to bladder and memory problems. Researchers worry about making a drug with that potential seem routine.
- **Study design.** The effects of an infusion are noticeable, which makes it hard to run trials in which participants cannot tell whether they received the drug or a placebo.
- **Standards.** Screening, dosing and monitoring practices differ between clinics, and some researchers want firmer standards in place first.

Many scientists are also working to understand exactly how ketamine acts, hoping to develop new medicines that give the same benefit without the dissociative effects. That is valuable work, but it can lead some to treat ketamine as a research tool or a stepping stone rather than as a treatment for patients today.

## Our perspective

We respect the need for evidence, and we share the wish for safe, well-regulated care. Several psychiatric associations, as well as the American Society of Anesthesiologists, have published guidance that backs ketamine's use where patients are closely monitored. The Royal Australian and New Zealand College of Psychiatrists has also updated its guidelines to help psychiatrists decide when and how to include it.

Where we differ from the most cautious researchers is in how we weigh the risks of waiting. The people in the original studies had often been ill for decades and had tried many medicines and therapies without success. For them, and for us, untreated illness carries grave risks too. We believe that informed adults, working with qualified clinicians, should be able to weigh the known benefits against the uncertainties for themselves.

## How to use this debate

If you are considering treatment, the researchers' concerns make good questions for your clinician. Ask how your progress will be measured, how often treatment will be repeated, what the plan is if the benefit fades, and how the clinic screens for risks. A good clinician will welcome those questions. See the [Opposition](/learn/opposition/) overview for the wider picture, and our article on [the debate around ketamine](/articles/the-ketamine-debate/) for both sides of the argument.
""",
    },
    {
        "path": "learn/opposition/psychiatrists",
        "title": "Opposition from Psychiatrists",
        "summary": "Why many psychiatrists remain wary of ketamine therapy, the practical barriers they face, and the role psychiatry could play.",
        "position": 30,
        "epigraph_quote": "I hope we don’t end up on the wrong side of history on this.",
        "epigraph_person": "Psychiatrist in charge of patient care",
        "epigraph_role": "NIH ketamine clinical trials",
        "byline": "Written by the network's patient volunteers",
        "body": """\
## Why some psychiatrists hesitate

You might expect every psychiatrist to welcome a treatment that studies suggest can help when nothing else has. Some do, and a growing number offer ketamine or refer patients for it. Many others remain cautious or openly skeptical.

Some of that caution is reasonable. Psychiatrists have seen promising treatments come and go, and they are responsible for patients who could be harmed by a poorly chosen therapy. But some doctors dismiss ketamine simply because earlier depression "breakthroughs" did not live up to their promise. In our view, that stance risks overlooking well-replicated research from the same medical schools that trained them. A field that expects no progress can miss it when it arrives.

## A challenge to familiar ideas

The speed of ketamine's effect draws attention to the biology of depression, bipolar disorder and PTSD. When symptoms can ease within hours of an infusion in people who have been ill for decades, it becomes harder to see these conditions mainly as problems of outlook or character. That unsettles some long-held ways of understanding and treating them.

## How practices are organized

Many psychiatric practices center on what is called medication management: regular, brief appointments to review prescriptions and adjust doses. Done well, this is important work. But the model can leave little time for a real therapeutic relationship or for exploring every option, and people sometimes stay on a medicine for years with little benefit. Many psychiatrists work very differently and care deeply about their patients. Still, for people with severe treatment-resistant illness, a fast-acting treatment given in courses does not fit neatly into the prescription-review model, and wider use could change how some practices earn their income.

There is also a practical barrier. An infusion is a medical procedure that needs equipment, monitoring and staff trained to place IV lines and respond to reactions. Few psychiatrists have those facilities or that training. Some partner with anesthesiologists or other specialists to offer ketamine; others refer patients elsewhere. A few have told patient advocates that they resent being left out of a development that brings gratitude, and revenue, to other clinicians.

## A role waiting to be filled

Psychiatry could play a central part in ketamine care if it chooses to. Patients who respond often describe a period when long-standing thought patterns loosen and emotional work that once felt impossible comes within reach. Skilled support during that time could help people turn short-term relief into lasting change. For years there was little structured guidance for this, and patients were largely left to work it out alone. Approaches such as [ketamine-assisted psychotherapy](/articles/ketamine-assisted-psychotherapy/) are beginning to fill that gap.

The words at the top of this page come from a psychiatrist who looked after patients in NIH ketamine clinical trials. That psychiatrist predicted a surge of demand for ketamine whether or not the profession was prepared for it. We share the hope the quotation expresses.

## Talking with your own psychiatrist

If your psychiatrist is doubtful about ketamine, an open conversation can help. Ask what their concerns are, and whether they relate to your own health. You can share what you have read, ask for a referral to someone experienced in ketamine treatment, or seek a second opinion. The decision should be made together with a qualified clinician. For the other sources of resistance, see the [Opposition](/learn/opposition/) overview.
""",
    },
    {
        "path": "articles",
        "title": "Articles",
        "summary": "Longer articles on why some psychiatrists prescribe ketamine, ketamine-assisted psychotherapy, and the debate around ketamine.",
        "position": 30,
        "body": """\
These articles look more closely at questions that come up often in our community. Like the rest of the site, they are written by patients for patients and are not medical advice.

## Read the articles

- [Why Some Psychiatrists Prescribe Ketamine](/articles/why-psychiatrists-prescribe-ketamine/): the speed of ketamine's effect, and its use when standard treatments have not helped.
- [Ketamine-Assisted Psychotherapy](/articles/ketamine-assisted-psychotherapy/): combining ketamine with structured therapy, and what that asks of patient and therapist.
- [The Debate Around Ketamine](/articles/the-ketamine-debate/): the case for ketamine, the concerns of cautious experts, and where we stand.

For the basics, start with the [Learn](/learn/) pages.
""",
    },
    {
        "path": "articles/why-psychiatrists-prescribe-ketamine",
        "title": "Why Some Psychiatrists Prescribe Ketamine",
        "summary": "Speed and effectiveness when other treatments fail: the main reasons some psychiatrists prescribe ketamine for depression.",
        "position": 10,
        "byline": "Written by the network's patient volunteers",
        "body": """\
## Two main reasons

Psychiatrists who prescribe ketamine tend to give two reasons. First, for many people it acts quickly. Second, it can help some people who have not improved with standard treatments. This article looks at both, drawing on published research and the views of clinicians who use it.

## From operating room to psychiatry

Ketamine was approved by the FDA as an anesthetic in 1970 and was used early on for soldiers wounded in the Vietnam War. One reason it became valued in emergencies is that, unlike many anesthetics, it generally does not suppress breathing, so patients do not usually need a ventilator. It remains a standard drug in operating rooms and emergency departments.

Researchers began looking at its antidepressant effects in the 1990s, and one of the first things they noticed was how fast patients improved. Over the next two decades that finding was confirmed many times. Today, ketamine for depression is most often given by slow intravenous infusion, and studies suggest that many people who respond show meaningful improvement after a single session of around 40 minutes.

## Why speed matters

Standard antidepressants, including SSRIs, usually need several weeks, sometimes months, to have an effect, and they do not help everyone. For someone with severe depression or thoughts of suicide, a long wait can be dangerous. Dr. Carlos Zarate, chief of the experimental therapeutics program at the National Institute of Mental Health, has described IV ketamine as a "paradigm shift" for psychiatry. In his view, rapid relief could help stabilize people in acute danger, giving them time to pursue longer-term care.

Speed has a second benefit. If a patient shows no response after the first one or two infusions, clinicians can stop and consider other options, instead of waiting months to learn whether a medicine will work. That can spare patients time, money and disappointment.

## When other treatments have not worked

Since the first antidepressants appeared in the 1950s, depression has usually been treated with a mix of talk therapy and medication. Antidepressants are now very common; nearly one in ten Americans takes one. Yet studies suggest only around 30 to 50 percent of people reach remission on them. People who have not improved after adequate trials of medication are described as having treatment-resistant depression, and for them the search for help can last years.

Ketamine works differently from standard antidepressants. Rather than acting mainly on serotonin, norepinephrine or dopamine, it acts on glutamate signalling in the brain, including by blocking NMDA receptors. Researchers believe this promotes neuroplasticity, the brain's ability to form new connections, which is thought to be linked to the easing of symptoms. In one of the largest studies of IV ketamine, led by Dr. Cristina Cusin of Massachusetts General Hospital, between 60 and 70 percent of the treatment-resistant patients improved.

## Not a first-line treatment

Psychiatrists who prescribe ketamine generally see it as one tool among many, not as the first thing to try. It is usually considered after other treatments have not helped, and it tends to be offered as part of a wider plan that may include ongoing therapy and other medicines. Some clinicians go further and argue that ketamine used on its own, without psychological support, gives only short-lived benefits; we look at that view in our article on [ketamine-assisted psychotherapy](/articles/ketamine-assisted-psychotherapy/).

Whether ketamine is right for you is a decision to make with a qualified clinician who knows your history. Our [Learn](/learn/) pages explain the practical side, from [cost](/learn/cost/) to [what an infusion is like](/learn/infusion-experience/).
""",
    },
    {
        "path": "articles/ketamine-assisted-psychotherapy",
        "title": "Ketamine-Assisted Psychotherapy",
        "summary": "What ketamine-assisted psychotherapy involves, why some clinicians favor it over stand-alone ketamine, and what it asks of patients.",
        "position": 20,
        "byline": "Written by the network's patient volunteers",
        "body": """\
## Medicine and therapy together

Ketamine-assisted psychotherapy, often shortened to KAP, combines ketamine treatment with structured psychological therapy. Rather than treating the medicine as a stand-alone fix, it uses the time during and after a session as an opportunity for therapeutic work. Supporters see it as a way to turn temporary relief into more durable change. It is a developing field, and its research base is smaller than that for ketamine infusions alone.

## Why some clinicians favor this approach

Ketamine is now broadly accepted in medicine, and it is often prescribed by itself, as an infusion, nasal spray, injection or tablet. Some psychiatrists who practice KAP argue that this misses much of ketamine's potential. In their view, care that leaves the patient passive, relying on repeated doses and occasional check-ins, risks offering brief relief without deeper progress.

Patient experience points in a similar direction. Many people who respond to ketamine describe a stretch of time when rigid thought loops loosen, feelings become more reachable, and old patterns seem open to change. Some have found that talk therapy, which had felt pointless for years, suddenly began to help. Skilled therapeutic support during this window may help people make the most of it. See [Getting the Most Out of Treatment](/learn/getting-the-most-out-of-treatment/) for our broader suggestions.

## What a program may involve

Programs vary, but they often share some features:

- **Preparation.** Before any medicine is given, patient and therapist get to know each other, discuss goals and talk through what the experience may be like.
- **A safe setting.** Sessions take place somewhere calm and comfortable, with medical monitoring suited to how the ketamine is given.
- **Trust.** Practitioners stress that a steady, dependable relationship between patient and therapist is at the core of the work, especially for people with trauma.
- **Integration.** In sessions without the medicine, patient and therapist reflect on what came up and how it connects to the patient's life.

For trauma in particular, practitioners often draw on ideas about attachment, safety and the way painful experiences are carried in body and mind. Writers such as Bessel van der Kolk, Gabor Maté and John Bowlby are often suggested to those who want to read more about trauma and attachment.

## An honest view of the demands

KAP is not a shortcut. Practitioners describe it as intensive work that asks a lot of both patient and therapist. It may involve facing painful memories and emotions, as well as rediscovering what brings joy and meaning. It usually takes more time, and often more money, than infusions alone. It does not suit everyone, and some people prefer or need a different approach.

Claims that KAP brings permanent change should be treated with care. Some clinicians are hopeful about deep and lasting results, and early reports are encouraging, but larger and longer studies are still needed.

## Questions to ask a provider

- What training do your therapists have, both in psychotherapy and in ketamine care?
- Which route of administration do you use, and how is medical safety handled?
- How many preparation, medicine and integration sessions are typical?
- How will we decide together whether the approach is helping?

Our page on [Route of Administration](/learn/route-of-administration/) explains the differences between forms of ketamine. As with any treatment, decisions about KAP belong with you and a qualified clinician.
""",
    },
    {
        "path": "articles/the-ketamine-debate",
        "sources": [YALE_2000_STUDY],
        "title": "The Debate Around Ketamine",
        "summary": "The case for ketamine in psychiatry, the concerns raised by cautious experts, and where our patient-led network stands.",
        "position": 30,
        "byline": "Written by the network's patient volunteers",
        "body": """\
## From anesthetic to psychiatric care

For decades, ketamine was known mainly as an anesthetic for surgery and emergency care. Today, clinics throughout the United States use it to treat depression, PTSD and some anxiety disorders, and clinicians are also exploring it for chronic pain. Its move into psychiatry has stirred up both hope and controversy. This article sets out both sides as fairly as we can.

## The case for ketamine

Supporters point first to speed. Standard antidepressants often take weeks to help, while studies suggest ketamine can reduce symptoms within hours or days in people who respond. For someone in severe distress, that difference can matter a great deal.

Second, ketamine works through a different system in the brain. Instead of targeting serotonin, it acts on glutamate, a chemical messenger that helps regulate mood and is linked to the brain's capacity to rewire itself. That may explain why it helps some people who have not found relief elsewhere.

Third, the evidence has built up over more than two decades, beginning with a Yale study published in 2000 and followed by research at many leading institutions. Studies in treatment-resistant depression suggest that roughly 60 to 70 percent of participants respond.

Finally, formal recognition is growing. The FDA has approved a nasal spray called esketamine, a close chemical relative of ketamine, for depression that has not responded to other treatment. Professional bodies have weighed in as well: several psychiatric associations, along with the American Society of Anesthesiologists, have published guidance backing ketamine's use where patients are closely monitored, and the Royal Australian and New Zealand College of Psychiatrists has revised its guidelines on when and how psychiatrists might use it.

## The concerns

Critics and cautious experts raise real questions:

- The long-term effects of repeated treatment are not yet fully understood.
- For most responders, relief fades, and the best way to maintain it is still being worked out.
- IV ketamine is not FDA approved for depression, so it is used off label and is seldom covered by insurance.
- Ketamine can be misused, and its recreational history makes some clinicians wary.
- Standards of screening, dosing and monitoring vary from clinic to clinic.
- Around a third of people with treatment-resistant depression do not respond.

There is disagreement among supporters, too. Some favor IV infusion as the best-studied route; others use nasal, injected or oral forms. Some see ketamine mainly as a medicine, while others argue it works best alongside psychotherapy, as described in our article on [ketamine-assisted psychotherapy](/articles/ketamine-assisted-psychotherapy/).

## Where we stand

As a patient-led network, we believe the evidence is strong enough that people with severe, treatment-resistant illness deserve access to ketamine, given by qualified professionals with proper monitoring. We also agree with experts that it is no cure-all and that it should never be used outside a medical setting.

What is needed now, in our view, is to make access safer and fairer while research continues on the questions that are still open. Both halves of that matter: delay has a human cost, and so does careless practice.

If you are weighing treatment, bring these questions to a qualified clinician. Our [Opposition](/learn/opposition/) section explores why resistance persists, and [Why Some Psychiatrists Prescribe Ketamine](/articles/why-psychiatrists-prescribe-ketamine/) looks at the clinical reasons in more detail.
""",
    },
    {
        "path": "crisis-resources",
        "title": "If You Are in Crisis",
        "summary": "If you are in crisis: in the US call or text 988, or call 911 if in immediate danger. This site is not a crisis service.",
        "position": 40,
        "show_in_menu": False,
        "accepts_feedback": False,
        "body": """\
If you are having thoughts of ending your life, or you feel you may not be able to keep yourself safe, please reach out for help now. You deserve support, and you do not have to get through this alone.

## Get help now

- **In the United States:** call or text **988** to reach the 988 Suicide & Crisis Lifeline, available 24 hours a day.
- **If you are in immediate danger:** call **911** or go to the nearest emergency department.
- **Outside the United States:** contact your local emergency services, or ask a doctor or local health service for the crisis line in your country.

## Talk to someone

If you can, tell someone you trust how you are feeling: a friend, a family member, your doctor or your therapist. You do not need the perfect words. Saying "I'm not okay and I need help" is enough.

## About this site

This website is not a crisis service. Feedback and messages sent through the site are not read in real time, so please do not use them to ask for urgent help. When you are ready, the rest of the site will still be [here](/).
""",
    },
]
